"""The engine: everything one run of extraction is coded with, built once.

An `Engine` holds the spaCy pipeline, the gazetteer (geocoder) and the geo stage's context
rules, the actor dictionary (and the actor matchers built from it, per vocabulary), the
event lexicons, the rule registry and the configuration (which rules are switched off), and
once a large batch asks for it, the parse process that parses its next windows. The
per-report pipeline is a pure function of (engine, report): `Engine.code(report)` hands each
stage what the engine holds, and no stage reads another copy. Tests and ablations build
engines with other settings side by side in one process; `sitrep.extract()` uses
`default_engine()`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, cached_property, partial

from pydantic import BaseModel, ConfigDict
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from sitrep.actors import (
    UNLISTED_RULE,
    ActorDictionary,
    ActorMatchers,
    actor_matchers,
    find_actors,
    load_dictionary,
    named_for_event,
    naming_flag,
)
from sitrep.events import find_events, focus_country
from sitrep.events._lexicon import EventLexicons, default_lexicons
from sitrep.events._model import MODEL_RULES, SentenceModel
from sitrep.events.learn.classifier import EventClassifier
from sitrep.events.learn.thresholds import ModelGate, load_gate
from sitrep.events.notes import note_for
from sitrep.geo import (
    ContextRules,
    Geocoder,
    GeoNamesGeocoder,
    context_rules,
    find_places,
    home_country,
    place_for_event,
)
from sitrep.models import (
    CODED_FIELDS,
    PLACE_FIELDS,
    SUPPORTED_LANGUAGES,
    Actor,
    Event,
    Evidence,
    Extraction,
    Report,
    Suppression,
)
from sitrep.nlp.annotate import BATCH_SIZE, PIPE_CHARS, build_annotation_pipeline, parse
from sitrep.nlp.parse_process import ParseProcess
from sitrep.rules import RuleRegistry, load_rules

log = logging.getLogger(__name__)


class EngineConfig(BaseModel):
    """What an engine is configured with."""

    model_config = ConfigDict(frozen=True)

    #: Rule ids switched off (`sitrep evaluate --without`); each must be declared.
    disabled_rules: frozenset[str] = frozenset()
    #: Consult the event classifier (its rules `model.no-event`, `model.sub-type`); off, the
    #: engine codes with the rules alone and never loads the model.
    use_model: bool = True
    #: Parse a large batch's windows in a second process while this one codes
    #: (`Engine.parse_ahead`); used only with two cores or more and the engine's own
    #: pipeline (a pipeline handed to the engine cannot be rebuilt in another process).
    parse_process: bool = True


@dataclass(frozen=True)
class Stage:
    """One stage of the pipeline and the Event fields it writes (spaCy's `analyze_pipes`)."""

    name: str
    function: str
    writes: tuple[str, ...]


#: The pipeline's stages, in the order `Engine.code` runs them, with the fields each
#: writes (every field of `Event` has a writer: tests/test_engine.py).
STAGES: tuple[Stage, ...] = (
    Stage("annotate", "sitrep.nlp.annotate", ("tokens, lemmas, parse, entities",)),
    Stage("places", "sitrep.geo.find_places", ("place mentions",)),
    Stage("report country", "sitrep.geo.home_country", ("the country actors are named for",)),
    Stage("actors", "sitrep.actors.find_actors", ("actor mentions",)),
    Stage(
        "events",
        "sitrep.events.find_events",
        ("event", *CODED_FIELDS, "source", "trigger", "confidence", "evidence", "flags"),
    ),
    Stage("event place", "sitrep.geo.place_for_event", (*PLACE_FIELDS,)),
    Stage("ids", "sitrep.engine.Engine.code", ("report_id", "event_id")),
    Stage("actor names", "sitrep.actors.named_for_event", ("actor1", "actor2")),
    Stage("naming flags", "sitrep.actors.naming_flag", ("flags",)),
    Stage("notes", "sitrep.events.notes.note_for", ("notes",)),
    # After storing: the events of several reports linked into one incident record.
    Stage("link", "sitrep.link.build_incident", ("incident", "corroboration")),
)


class Engine:
    """Models, lexicons, gazetteer and configuration for coding reports.

    The spaCy pipeline and the event classifier load on first use (a second or two of
    start-up each), so an engine is cheap to build when only its rules or gazetteer are
    needed.
    """

    def __init__(
        self,
        config: EngineConfig | None = None,
        *,
        geocoder: Geocoder | None = None,
        dictionary: ActorDictionary | None = None,
        nlp: Language | None = None,
        rules: RuleRegistry | None = None,
        classifier: EventClassifier | None = None,
        lexicons: EventLexicons | None = None,
        place_rules: ContextRules | None = None,
    ) -> None:
        self.config = config or EngineConfig()
        self.rules = rules or load_rules()
        self.rules.check_ids(self.config.disabled_rules)
        self.geocoder: Geocoder = geocoder or GeoNamesGeocoder()
        self.dictionary = dictionary or load_dictionary()
        self.lexicons = lexicons or default_lexicons()
        #: The geo stage's words of place and context (geo/context.yaml).
        self.place_rules = place_rules or context_rules()
        # Built from this engine's dictionary on first use, one per vocabulary.
        self._actor_matchers: dict[Vocab, ActorMatchers] = {}
        self._parses_elsewhere = (
            self.config.parse_process and nlp is None and (os.cpu_count() or 1) > 1
        )
        self._parse_process: ParseProcess | None = None
        if nlp is not None:
            self.__dict__["nlp"] = nlp
        if classifier is not None:
            self.__dict__["classifier"] = classifier

    @cached_property
    def nlp(self) -> Language:
        """The annotation pipeline (spaCy model plus sitrep's two components)."""
        return build_annotation_pipeline()

    @cached_property
    def classifier(self) -> EventClassifier:
        """The sentence event classifier committed in the package (events/learn/model)."""
        return EventClassifier.load()

    @cached_property
    def model_gate(self) -> ModelGate:
        """The classifier's thresholds (events/model_gate.yaml)."""
        return load_gate()

    @property
    def sentence_model(self) -> SentenceModel | None:
        """The classifier as the events stage consults it, or None when it is not used."""
        if not self.config.use_model or not any(map(self.enabled, MODEL_RULES)):
            return None
        return SentenceModel(predict=self.classifier.predict, gate=self.model_gate)

    def without(self, *rule_ids: str) -> Engine:
        """An engine like this one with more rules switched off (models shared)."""
        config = self.config.model_copy(
            update={"disabled_rules": self.config.disabled_rules | frozenset(rule_ids)}
        )
        engine = Engine(
            config,
            geocoder=self.geocoder,
            dictionary=self.dictionary,
            rules=self.rules,
            lexicons=self.lexicons,
            place_rules=self.place_rules,
        )
        engine._actor_matchers = self._actor_matchers
        for shared in ("nlp", "classifier", "model_gate"):
            if shared in self.__dict__:
                engine.__dict__[shared] = self.__dict__[shared]
        return engine

    def enabled(self, rule_id: str) -> bool:
        """Whether the rule fires: asked where it would fire."""
        return rule_id not in self.config.disabled_rules

    def actor_matchers(self, vocab: Vocab) -> ActorMatchers:
        """The actor matchers of this engine's dictionary for a vocabulary (built once)."""
        if vocab not in self._actor_matchers:
            self._actor_matchers[vocab] = actor_matchers(vocab, self.dictionary)
        return self._actor_matchers[vocab]

    def annotate(self, text: str) -> Doc:
        return parse(self.nlp, text)

    def annotate_many(self, texts: Sequence[str]) -> list[Doc | None]:
        """The texts parsed together (`nlp.pipe`, faster than one by one), or None for a text
        left to `annotate` within its report's time budget: a long one, or any of a batch
        spaCy failed on (so each report's own failure is its own)."""
        together = _parsed_together(texts)
        nlp = self.nlp  # a missing model raises here, for every report alike
        try:
            parsed = list(nlp.pipe((texts[index] for index in together), batch_size=BATCH_SIZE))
        except Exception:  # noqa: BLE001 - each report is parsed again alone, failing alone
            return [None] * len(texts)
        return _in_place(parsed, together, len(texts))

    def parse_ahead(self, texts: Sequence[str]) -> Callable[[], Iterable[Doc | None]]:
        """Start parsing a window of a batch; the returned function gives `annotate_many`'s
        answer for it, each Doc as soon as it is parsed. A full window (BATCH_SIZE texts or
        more) starts the parse process (`config.parse_process`), which then parses each
        window while this process codes the one before; until the process is ready, and for
        a smaller batch, the window is parsed here, when its Docs are asked for. Never
        raises: what goes wrong is raised when the Docs are asked for, or the window is
        parsed here."""
        process = self._ready_parse_process(start=len(texts) >= BATCH_SIZE)
        if process is None:
            return partial(self.annotate_many, texts)
        together = _parsed_together(texts)
        try:
            parsed = process.parse([texts[index] for index in together], self.nlp.vocab)
        except Exception as error:  # noqa: BLE001 - the child is gone: parse here from now on
            self._stop_parse_process(error)
            return partial(self.annotate_many, texts)
        getters = dict(zip(together, parsed, strict=True))

        def docs() -> Iterator[Doc | None]:
            for index in range(len(texts)):
                getter = getters.get(index)
                yield None if getter is None else getter()

        return docs

    def start_parse_process(self, wait: bool = False) -> bool:
        """Start the parse process now rather than at a batch's first full window (`wait`:
        until it has loaded its pipeline); whether it is ready."""
        return self._ready_parse_process(start=True, wait=wait) is not None

    def _ready_parse_process(self, start: bool, wait: bool = False) -> ParseProcess | None:
        if not self._parses_elsewhere or (self._parse_process is None and not start):
            return None
        try:
            if self._parse_process is None:
                self._parse_process = ParseProcess()
            ready = self._parse_process.ready(wait)
        except Exception as error:  # noqa: BLE001 - no child here, or it failed to start
            self._stop_parse_process(error)
            return None
        return self._parse_process if ready else None

    def _stop_parse_process(self, error: BaseException) -> None:
        log.warning("parsing in this process from now on: the parse process failed (%s)", error)
        self._parses_elsewhere = False
        if self._parse_process is not None:
            self._parse_process.close()
            self._parse_process = None

    def generic_actor(self, kind: str, country: str | None) -> Actor:
        return self.dictionary.generic_actor(kind, country)

    def code(self, report: Report, doc: Doc | None = None) -> Extraction:
        """Code one report: its events with evidence for their fields, and what was dropped.

        `doc` is the report's text already parsed (`annotate_many`); without it the text is
        parsed here. A report in a language the pipeline does not code yields no events
        (never invented ones)."""
        report_id = report.report_id
        if report.language is not None and report.language not in SUPPORTED_LANGUAGES:
            return Extraction(
                report_id=report_id,
                no_event_reason=f"the report is in {report.language!r}, a language not coded",
            )
        if doc is None:
            doc = self.annotate(report.text)
        places = find_places(doc, self.geocoder, self.place_rules)
        # The report's country: where its towns and provinces are, not the country it names
        # most (a report on Syria names Turkey and Iraq often).
        country = home_country(
            places, report.text, self.geocoder, self.place_rules
        ) or focus_country(places)
        suppressions: list[Suppression] = []
        events = find_events(
            doc,
            report,
            # Country-dependent actor names ("Islamic State (Iraq)") follow the report's places.
            actors=find_actors(doc, country, self.actor_matchers(doc.vocab)),
            places=places,
            locate=partial(
                place_for_event,
                enabled=self.enabled,
                geocoder=self.geocoder,
                rules=self.place_rules,
            ),
            generic=self.generic_actor,
            country=country,
            enabled=self.enabled,
            suppressions=suppressions,
            model=self.sentence_model,
            lexicons=self.lexicons,
        )
        for number, event in enumerate(events, start=1):
            event.report_id = report_id
            event.event_id = f"{report_id}-{number:02d}"
            self._name_for_the_event(event)
        return Extraction(
            report_id=report_id,
            events=events,
            suppressions=suppressions,
            no_event_reason="" if events else _why_no_event(suppressions),
        )

    def extract_report(self, report: Report, doc: Doc | None = None) -> list[Event]:
        return self.code(report, doc).events

    def _name_for_the_event(self, event: Event) -> None:
        """Actors under ACLED's name for the event's day and place (government periods,
        units of state forces, operations: `named_for_event`), flagged when their country is
        unknown or their name is not in the dictionary; each rule that changed an actor is
        in its evidence's `amended_by`."""
        for field in ("actor1", "actor2"):
            actor = getattr(event, field)
            if actor is None:
                continue
            renamed, rules = named_for_event(
                actor, event.event_date, event.place, self.enabled, self.dictionary
            )
            flag = naming_flag(renamed, self.dictionary)
            if flag == "actor_unlisted" and not self.enabled(UNLISTED_RULE):
                flag = None
            if flag is not None and flag not in event.flags:
                event.flags.append(flag)
            if flag == "actor_unlisted":
                rules.append(UNLISTED_RULE)
            setattr(event, field, renamed)
            if rules:
                old = event.evidence.get(field) or Evidence()
                amended = [*old.amended_by, *rules]
                event.evidence[field] = old.model_copy(update={"amended_by": amended})
        event.notes = note_for(event, self.lexicons.notes)


def _parsed_together(texts: Sequence[str]) -> list[int]:
    """Indices of the texts short enough to be parsed in one `nlp.pipe` batch."""
    return [index for index, text in enumerate(texts) if len(text) <= PIPE_CHARS]


def _in_place(parsed: Sequence[Doc], together: list[int], count: int) -> list[Doc | None]:
    docs: list[Doc | None] = [None] * count
    for index, doc in zip(together, parsed, strict=True):
        docs[index] = doc
    return docs


def _why_no_event(suppressions: list[Suppression]) -> str:
    if not suppressions:
        return "no word of the event lexicon reports an incident in the text"
    rules = sorted({s.rule for s in suppressions})
    return f"every candidate was suppressed ({', '.join(rules)})"


@cache
def default_engine() -> Engine:
    """The engine `sitrep.extract()` and the command line use (built on first use)."""
    return Engine()
