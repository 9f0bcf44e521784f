"""One exception tree for everything sitrep raises on purpose.

Each message is one line that names the problem and the way out; the command line prints
it as is, never a traceback.
"""


class SitrepError(Exception):
    """Base of every error sitrep raises deliberately."""


class InputError(SitrepError):
    """A report could not be read: empty, binary, too large, a missing column..."""


class ParseError(SitrepError):
    """A value in the input could not be understood (a date, a number)."""


class ModelError(SitrepError):
    """The NLP model or a lexicon could not be loaded."""


class LexiconError(ModelError):
    """A domain data file (lexicon, actor dictionary) is malformed."""


class GazetteerError(SitrepError):
    """The gazetteer could not be built, loaded or extended."""


class StoreError(SitrepError):
    """The database could not be opened, migrated, read or written."""


class EvaluationError(SitrepError):
    """Gold data for `sitrep evaluate` is missing columns or malformed."""


class CorpusError(SitrepError):
    """The annotated corpus, its source data or an annotator's labels are missing or bad."""


class ConfigError(SitrepError):
    """An engine setting is invalid: an unknown rule id to switch off, a bad option."""
