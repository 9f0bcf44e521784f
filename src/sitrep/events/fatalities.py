"""Counting the dead: numbers tied by the parse to a death expression, nothing else.

"killing five", "five were killed", "left 12 dead", "the death of five", "claimed the lives
of 12", "the death toll rose to 30" count; group sizes ("65 fighters"), the wounded, years
and ages do not, because no death word governs them. ACLED's conservative reading: the lower
bound of a range, "at least N" = N, vague quantities from fatalities.yaml.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from number_parser import parse_number
from spacy.tokens import Span as TokenSpan
from spacy.tokens import Token

from sitrep.events._context import irrealis_reason, is_said_of_the_war
from sitrep.events._lexicon import (
    ContextLexicon,
    EventLexicons,
    FatalityLexicon,
    default_lexicons,
)
from sitrep.events._roles import is_misread_name
from sitrep.rules import RuleSwitch, every_rule_on

#: Dependency labels that attach a number (or quantity word) to the noun it counts.
NUMBER_DEPS = ("nummod", "quantmod", "amod", "npadvmod", "nmod", "compound")


@dataclass(frozen=True)
class DeathCount:
    """A number of dead people, the words that state it and the death word it hangs on."""

    value: int
    span: TokenSpan
    death_word: Token
    #: Head of the phrase naming who died ("fighters" in "the death of five Chechen fighters").
    victims: Token
    #: A running or summary total ("the death toll rose to 30"), never added to others.
    is_total: bool
    #: Counted over a period of days or more ("killed since Saturday"): a recap.
    over_a_period: bool = False
    #: A vague quantity ("dozens", "many"), not a figure.
    is_vague: bool = False
    #: A breakdown told as one count ("30 soldiers and 29 rebels"): each part's figure and
    #: the lemma of its noun, ((30, "soldier"), (29, "rebel")).
    parts: tuple[tuple[int, str], ...] = ()
    #: Dead beyond those told before ("two more people were killed"): added to them.
    is_additional: bool = False
    #: Who gives the figure, lower-cased ("sohr" in "SOHR said 14 were killed"); "" when
    #: the report gives it as its own.
    source: str = ""
    #: Parts of these dead named with them, already in the figure ("including seven
    #: children", "ten children were among 48 killed"): ((7, "child"),).
    subsets: tuple[tuple[int, str], ...] = ()


def _digits(text: str) -> int | None:
    cleaned = text.replace(",", "").replace(".", "")
    return int(cleaned) if cleaned.isdigit() else None


@lru_cache(maxsize=4096)
def _parsed_value(word: str) -> int | None:
    value = _digits(word)
    if value is None:
        parsed = parse_number(word)
        value = parsed if isinstance(parsed, int) else None
    return value


def _number_tokens(token: Token) -> list[Token]:
    """A number written in several words ("twenty-three", "one hundred"): the token and the
    number words compounded onto it from the left."""
    doc = token.doc
    start = token.i
    while start > 0:
        before = doc[start - 1]
        if before.text == "-" and start > 1 and doc[start - 2].like_num:
            start -= 2
        elif (
            before.like_num
            and before.dep_ == "compound"
            and before.head.i == token.i
            # "rises to 11 44 injured" is two figures; "one hundred" is one
            and not (before.text[:1].isdigit() and token.text[:1].isdigit())
        ):
            start -= 1
        else:
            break
    return [t for t in doc[start : token.i + 1] if t.text != "-"]


def _object_misparsed(death: Token) -> Iterator[Token]:
    """ "killed at least 20 people among them women monitors reported": unpunctuated
    text can make the counted phrase the subject of a later verb; a number right after an
    active death verb with no object of its own still counts its dead."""
    doc = death.doc
    after = death.i + 1
    while after < len(doc) and doc[after].lower_ in ("at", "least", "more", "than", "some"):
        after += 1
    if after < len(doc) and doc[after].like_num and doc[after].dep_ in NUMBER_DEPS:
        counted = doc[after].head
        if counted.pos_ in ("NOUN", "PROPN") and counted.i > after:
            yield counted


def _subjects_split_by_the_parser(death: Token, victim: Token) -> list[Token]:
    """ "6 fighters and 4 militiamen were killed": a conjunction the parser read as two
    subjects of the death verb is still one count of its dead."""
    if victim.dep_ not in ("nsubj", "nsubjpass") or not any(
        c.dep_ == "cc" for c in victim.children
    ):
        return []
    return [c for c in death.children if c.dep_ == victim.dep_ and c.i > victim.i]


@dataclass(frozen=True)
class _DeathReader:
    """Reads the dead of a sentence with one engine's lexicons."""

    lexicon: FatalityLexicon
    context: ContextLexicon

    def _word_value(self, word: str) -> int | None:
        vague = self.lexicon.vague_numbers
        return vague[word] if word in vague else _parsed_value(word)

    def number_value(self, token: Token) -> int | None:
        """The number a token states: digits, number words, or a vague quantity ("dozens")."""
        if token.lower_ in self.lexicon.vague_numbers:
            return self.lexicon.vague_numbers[token.lower_]
        if not token.like_num:
            return None
        words = _number_tokens(token)
        if len(words) > 1:
            value = self._word_value(" ".join(w.lower_ for w in words))
            if value is not None:
                return value
        return self._word_value(token.lower_)

    def _is_year(self, token: Token, value: int) -> bool:
        """A year, or any part of a date: "27 June 2016" counts no one."""
        doc = token.doc
        months = self.lexicon.month_names

        def is_month(i: int) -> bool:  # capitalised: "may" and "march" are also verbs
            word = doc[i] if 0 <= i < len(doc) else None
            return (
                word is not None and word.text[:1].isupper() and word.lower_.rstrip(".") in months
            )

        # "27 June", or "Jul 18" unless the month has its day already ("3 May 12 soldiers")
        day_before = is_month(token.i + 1)
        day_after = is_month(token.i - 1) and not (token.i > 1 and doc[token.i - 2].like_num)
        next_to_month = day_before or day_after
        # a bare number tagged a date on its own ("the toll was 45.") is the tagger's slip
        dated = token.ent_type_ == "DATE" and not (
            token.ent_iob_ == "B" and (token.i + 1 == len(doc) or doc[token.i + 1].ent_iob_ != "I")
        )
        return (
            dated
            or (1900 <= value <= 2100 and token.tag_ == "CD" and len(token) == 4)
            or (value <= 31 and next_to_month)
        )

    def _reading(self, number: Token) -> tuple[int, TokenSpan] | None:
        """A number's value and words; a range ("20 to 30", "20-30") keeps its lower bound."""
        value = self.number_value(number)
        if value is None or self._is_year(number, value):
            return None
        # A figure written before it ("20 to 30", or "11 44" where a dash or comma was lost)
        lower = [
            v
            for c in number.children
            if c.like_num
            and (c.dep_ in ("quantmod", "prep") or (c.dep_ == "compound" and c.text[:1].isdigit()))
            for v in [self.number_value(c)]
            if v is not None
        ]
        left = min(t.i for t in number.subtree if t.i <= number.i)
        return min([value, *lower]), number.doc[left : number.i + 1]

    def _count_of(self, head: Token) -> tuple[int, TokenSpan] | None:
        """How many people a noun phrase headed by `head` counts, with the words that say so."""
        lexicon = self.lexicon
        hurt = any(
            c.dep_ in ("acl", "amod", "relcl")
            and c.lemma_.lower() in lexicon.not_death_lemmas - lexicon.age_adjectives
            for c in head.children
        )
        if hurt:  # "16 others injured"
            return None
        own = self._reading(head)  # "five were killed", "dozens of people"
        if own is not None:
            return own
        if head.lemma_.lower() in lexicon.not_death_lemmas:
            return None
        # The count stands next to its noun: "Jul 18 2016 21 Civilians" counts 21, not the day.
        for child in sorted(head.children, key=lambda c: abs(c.i - head.i)):
            if child.dep_ in NUMBER_DEPS and self.number_value(child) is not None:
                reading = self._reading(child)
                if reading is not None:
                    return reading
        # "a child was killed", "a journalist died": one person named in the singular.
        victims = self.context
        singular_person = (
            head.tag_ == "NN"
            and head.lemma_.lower() in victims.civilian_nouns | victims.combatant_nouns
            and any(
                c.dep_ in ("det", "poss") and c.lower_ not in ("the", "every", "each", "no")
                for c in head.children
            )
        )
        # an acronym is an organisation's name ("AFP", "SANA") whatever the tagger says
        named_person = (
            head.ent_type_ == "PERSON" and head.dep_ in ("nsubjpass", "dobj") and not head.is_upper
        )
        pronoun = head.lower_ in lexicon.person_pronouns and head.dep_ in ("nsubjpass", "dobj")
        if singular_person or named_person or pronoun:
            return 1, head.doc[head.i : head.i + 1]
        return None

    def _victim_heads(self, death: Token) -> Iterator[Token]:
        """The heads of the phrases naming who died, read from the death word's arguments."""
        lemma = death.lemma_.lower()
        children = list(death.children)
        if death.pos_ in ("VERB", "AUX"):
            passive = any(
                c.dep_ == "nsubjpass" or (c.dep_ == "auxpass" and not is_misread_name(c))
                for c in children
            )
            # Headline style drops the auxiliary: "One person killed, 16 others injured".
            objects = [c for c in children if c.dep_ == "dobj"]
            if not objects or all(self._count_of(o) is None for o in objects):
                passive = (
                    passive or not any(c.dep_ == "aux" for c in children) and death.tag_ == "VBN"
                )
            for child in children:
                if child.dep_ in ("nsubjpass", "dobj") or (
                    child.dep_ == "nsubj"
                    and (lemma in self.lexicon.intransitive_death_lemmas or passive)
                ):
                    yield child
            if death.dep_ == "acl" and death.tag_ == "VBN":  # "people killed in the raid"
                yield death.head
            # "leaving four killed and 12 hurt": the parser hangs the figure before
            # the participle on the participle itself (one after it counts the next word's)
            if death.tag_ == "VBN":
                yield from (
                    c for c in children if c.dep_ == "nummod" and c.like_num and c.i < death.i
                )
            if death.dep_ == "xcomp" and death.tag_ == "VBN":  # "two were reported killed"
                yield from (c for c in death.head.children if c.dep_ == "nsubjpass")
            if not objects and not passive:
                yield from _object_misparsed(death)
            return
        if lemma in ("dead", "lifeless"):
            # an object of "dead" is the parser's reading of "shot dead a man"
            yield from (c for c in children if c.dep_ in (*NUMBER_DEPS, "nsubj", "dobj"))
            if death.dep_ == "amod":  # "12 people dead"
                yield death.head
            elif death.dep_ in ("oprd", "ccomp", "xcomp", "acomp", "advmod"):  # "left 12 dead"
                yield from (
                    c for c in death.head.children if c.dep_ in ("dobj", "nsubj", "nsubjpass")
                )
            return
        # "beat a man to death", "two were stabbed to death": the dead are the verb's.
        if lemma == "death" and death.dep_ == "pobj" and death.head.lower_ == "to":
            verb = death.head.head
            yield from (c for c in verb.children if c.dep_ in ("dobj", "nsubjpass"))
            return
        # Nouns: "the death of five", "five deaths", "the lives of 12", "the toll rose to 30".
        for child in children:
            if child.dep_ in NUMBER_DEPS and self.number_value(child) is not None:
                yield death
            elif child.dep_ == "prep" and child.lower_ in ("of", "to", "at"):
                yield from (c for c in child.children if c.dep_ == "pobj")
        if lemma == "toll" or lemma in self.lexicon.total_lemmas:
            governor = death.head
            for child in governor.children:
                if child.dep_ == "prep" and child.lower_ in ("to", "at"):
                    yield from (c for c in child.children if c.dep_ == "pobj")
                elif child.dep_ in ("attr", "dobj") and child.i != death.i:
                    yield child

    def _is_vague(self, words: TokenSpan) -> bool:
        """ "dozens", "several", "many": no figure of its own ("two dozen" is one)."""
        vague = self.lexicon.vague_numbers
        figures = [
            t
            for t in words
            if t.lower_ in vague or (t.like_num and not self._is_year(t, self.number_value(t) or 0))
        ]
        return bool(figures) and all(t.lower_ in vague for t in figures)

    def _over_a_period(self, death: Token) -> bool:
        """The death word is counted over days or more: "since Saturday", "over the past two
        weeks", "in five days of fighting" (a day or a few hours is one incident's time)."""
        lexicon = self.lexicon
        for prep in death.children:
            # "since Saturday", "since the regime began an offensive"
            opens_since = prep.dep_ == "advcl" and any(
                c.dep_ == "mark" and c.lower_ == "since" for c in prep.children
            )
            if opens_since or (prep.dep_ == "prep" and prep.lower_ == "since"):
                return True
            if prep.dep_ != "prep":
                continue
            for period in prep.children:
                units = lexicon.period_units | lexicon.long_period_units
                if period.dep_ != "pobj" or period.lower_ not in units:
                    continue
                opened = any(c.lower_ in lexicon.period_markers for c in period.children)
                several = any(
                    (self.number_value(c) or 0) > 1 for c in period.children if c.like_num
                )
                if opened or several or period.lower_ in lexicon.long_period_units:
                    return True
        return False

    def _with_conjuncts(self, head: Token) -> list[Token]:
        """ "Three civilians and two soldiers": every part; not one the wounded word right after
        it claims ("Fifty-one dead and over 100 wounded")."""
        hurt = self.lexicon.wounded_lemmas
        doc = head.doc
        return [head] + [
            c
            for c in head.conjuncts
            if c.i + 1 >= len(doc) or doc[c.i + 1].lemma_.lower() not in hurt
        ]

    def _killed_along_with(self, death: Token, victim: Token) -> list[Token]:
        """ "29 fighters were killed along with six Nusra fighters": the dead named after "along
        with" / "together with" die with the subject and add to its count."""
        if victim.dep_ not in ("nsubjpass", "nsubj"):
            return []
        companions = self.lexicon.companion_words
        doc = death.doc
        # "with" hangs on the verb or on "along", depending on the parse
        nearby = [*death.children, *(g for c in death.children for g in c.children)]
        return [
            dead
            for prep in nearby
            if prep.dep_ == "prep"
            and prep.lower_ == "with"
            and prep.i > 0
            and doc[prep.i - 1].lower_ in companions
            for dead in prep.children
            if dead.dep_ == "pobj"
        ]

    def _counted_with_the_verb_left_out(self, death: Token, victim: Token) -> list[Token]:
        """ "30 fighters were killed in the town and another five outside it": a number joined to
        the death verb itself counts more dead of that verb, the verb not repeated."""
        if victim.dep_ not in ("nsubjpass", "nsubj", "dobj") or death.pos_ not in ("VERB", "AUX"):
            return []
        return [
            c
            for c in death.children
            if c.dep_ == "conj" and c.pos_ in ("NUM", "NOUN") and self.number_value(c) is not None
        ]

    def _shared_with_the_wounded(self, death: Token) -> bool:
        """ "49 fighters were killed and wounded", "killing and injuring dozens": one figure for
        the dead and the wounded together says nothing of the dead alone."""
        hurt = self.lexicon.wounded_lemmas
        # "killed and many more wounded": the wounded word has words of its own; shared, it has
        # at most a place or a cause.
        bare = ("prep", "punct", "cc", "advcl")
        return any(
            c.dep_ == "conj"
            and c.lemma_.lower() in hurt
            and all(a.dep_ in bare for a in c.children)
            for c in death.children
        )

    def _said_in_total(self, token: Token) -> bool:
        """ "35 people in total", "in all, 40 were killed": the figure is the total."""
        words = self.lexicon.in_total_words
        return any(
            prep.dep_ == "prep"
            and prep.lower_ == "in"
            and any(c.dep_ == "pobj" and c.lower_ in words for c in prep.children)
            for prep in token.children
        )

    def _told_as_more(self, victim: Token) -> bool:
        """ "two more people", "another three civilians" ("more than 50" is an estimate)."""
        doc = victim.doc
        words = self.lexicon.additional_words
        return any(
            t.lower_ in words and not (t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "than")
            for t in victim.subtree
            if t.i < victim.i
        )

    def _whole_of_a_part(self, victim: Token) -> Token | None:
        """ "nine civilians of them two women died": the victim phrase opens with a
        subset marker, so it names a part of the dead; the whole is the noun the marker hangs
        on (None when the parse gives none)."""
        doc = victim.doc
        left = victim.left_edge.i
        for marker in self.lexicon.subset_markers:
            words = marker.split()
            start = left - len(words)
            if start < 0 or [t.lower_ for t in doc[start:left]] != words:
                continue
            whole = doc[start].head
            return whole if whole.pos_ in ("NOUN", "PROPN") and whole.i < start else None
        return None

    def _named_subsets(self, victim: Token, named: Token) -> tuple[tuple[int, str], ...]:
        """The parts of the dead a count names with it: "including seven children", a part
        told first ("among them three children" when the whole stands for it), or a subject
        said to be among them ("ten children were among 48 people killed")."""
        members = [named] if named.i != victim.i else []
        prepositions = self.lexicon.subset_prepositions
        members += [
            c
            for p in victim.children
            if p.dep_ == "prep" and p.lower_ in prepositions
            for c in p.children
            if c.dep_ == "pobj"
        ]
        # by position: the parser often misses that the count is the object of "among"
        left = victim.left_edge.i
        among = victim.doc[left - 1] if left > 0 else None
        if (
            among is not None
            and among.lower_ in prepositions
            and among.head.pos_ in ("AUX", "VERB")
        ):
            members += [c for c in among.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        return tuple(
            (found[0], member.lemma_.lower())
            for member in members
            for found in [self._count_of(member)]
            if found is not None
        )

    def _source_of(self, death: Token) -> str:
        """Who gives the figure of a death word: the subject of the nearest reporting or
        figure verb above it ("SOHR reported 14 dead", "a statement put its losses at 10")."""
        verbs = self.context.reporting_verbs | self.lexicon.figure_verbs
        for token in [death, *death.ancestors]:
            if token.pos_ == "VERB" and token.lemma_.lower() in verbs:
                subjects = [
                    c for c in token.children if c.dep_ == "nsubj" and c.pos_ in ("NOUN", "PROPN")
                ]
                return " ".join(t.lower_ for t in subjects[0].subtree) if subjects else ""
        return ""

    def _revised_next(self, sentence: TokenSpan) -> list[DeathCount]:
        """ "... a first toll of 12. That was then raised to 19.": the next sentence
        revises this one's toll with a pronoun for it."""
        doc = sentence.doc
        if sentence.end >= len(doc):
            return []
        lexicon = self.lexicon
        revisions = []
        for verb in doc[sentence.end].sent:
            refers_back = any(
                c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in lexicon.toll_pronouns
                for c in verb.children
            )
            if verb.lemma_.lower() not in lexicon.total_lemmas or not refers_back:
                continue
            for figure in (
                n
                for c in verb.children
                if c.dep_ == "prep" and c.lower_ == "to"
                for n in c.children
            ):
                reading = self._reading(figure) if figure.dep_ == "pobj" else None
                if reading is not None:
                    value, span = reading
                    revisions.append(
                        DeathCount(
                            value=value, span=span, death_word=verb, victims=figure, is_total=True
                        )
                    )
        return revisions

    def counts(self, sentence: TokenSpan, enabled: RuleSwitch = every_rule_on) -> list[DeathCount]:
        """Every stated number of dead in a sentence, each tied to its death word."""
        lexicon = self.lexicon
        counts: list[DeathCount] = []
        counted: set[int] = set()
        for token in sentence:
            lemma = token.lemma_.lower()
            if lemma not in lexicon.death_lemmas and token.lower_ not in lexicon.death_lemmas:
                continue
            if irrealis_reason(token, self.context, enabled) is not None:
                continue  # "may have died", "did not kill": no incident's dead
            if enabled("context.said-of-the-war") and is_said_of_the_war(token, self.context):
                continue  # "has since killed 300,000": the whole war's dead
            if self._shared_with_the_wounded(token):
                continue
            # A total word governs the death noun ("the toll rose to 30"); a death verb's head
            # is another clause ("reached the town and killed three").
            governor = token.head if token.pos_ == "NOUN" else token
            is_total = (
                lemma in lexicon.total_lemmas or governor.lemma_.lower() in lexicon.total_lemmas
            )
            for named in self._victim_heads(token):
                victim = self._whole_of_a_part(named) or named
                parts = [
                    (victim_part, found)
                    for victim_part in self._with_conjuncts(victim)
                    + self._killed_along_with(token, victim)
                    + _subjects_split_by_the_parser(token, victim)
                    + self._counted_with_the_verb_left_out(token, victim)
                    if victim_part.i not in counted
                    for found in [self._count_of(victim_part)]
                    if found is not None
                ]
                value = sum(value for _, (value, _) in parts)
                if not parts or value > lexicon.max_incident_fatalities:
                    continue
                counted.update(p.i for p, _ in parts)
                breakdown = tuple((count, p.lemma_.lower()) for p, (count, _) in parts)
                start = min(span.start for _, (_, span) in parts)
                end = max(span.end for _, (_, span) in parts)
                counts.append(
                    DeathCount(
                        value=value,
                        span=sentence.doc[start:end],
                        death_word=token,
                        victims=victim,
                        is_total=is_total
                        or self._said_in_total(victim)
                        or self._said_in_total(token),
                        over_a_period=self._over_a_period(token),
                        is_vague=all(self._is_vague(span) for _, (_, span) in parts),
                        parts=breakdown if len(breakdown) > 1 else (),
                        is_additional=self._told_as_more(victim),
                        subsets=self._named_subsets(victim, named),
                        source=self._source_of(token),
                    )
                )
        return counts + self._revised_next(sentence) if counts else counts


def death_counts(
    sentence: TokenSpan, enabled: RuleSwitch = every_rule_on, lexicons: EventLexicons | None = None
) -> list[DeathCount]:
    """Every stated number of dead in a sentence, each tied to its death word
    (`lexicons`: an engine's, by default the packaged ones)."""
    lexicons = lexicons or default_lexicons()
    return _DeathReader(lexicons.fatalities, lexicons.context).counts(sentence, enabled)
