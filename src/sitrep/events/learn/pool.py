"""The sentence pool: real sentences from every source, segmented, cleaned and sampled.

Segmentation is sitrep's own annotation pipeline (`sitrep.nlp`: the parser's sentence
boundaries, and a line break always ends a sentence), run without entities or lemmas. The
sample is seeded, so the same data and seed give the same pool.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict

from sitrep.events.learn.corpus import SEED_DOC_ID, SEED_FIELD, SentencePointer, SourceData

#: A fragment shorter than this (characters or words) carries no event to label: bylines,
#: photo credits, "Read more". Longer than MAX_CHARS is a segmentation failure (a table, a
#: list run together), not a sentence.
MIN_CHARS = 25
MIN_WORDS = 4
MAX_CHARS = 600
#: MAVERICK's `source` column is "Outlet (YYYY-MM-DD) Headline": the headline follows the date.
_MAVERICK_DATE = re.compile(r"\(\d{4}-\d{2}-\d{2}\)\s*")
_WORD = re.compile(r"[^\W\d_]{2,}")
#: Languages a headline of these sources may be in (Kenyan and Syrian press, wire services).
HEADLINE_LANGUAGES = ("en", "sw", "fr", "ar", "de", "es")
NON_ENGLISH_PROBABILITY = 0.6


class PoolPlan(BaseModel):
    """How many sentences to draw from each source, and how."""

    model_config = ConfigDict(frozen=True)

    seed: int = 11
    fakes: int = 1450
    voa: int = 1400
    ucdp: int = 1150
    maverick: int = 800
    #: Sentences kept from the start of one article: whole articles where possible, but no
    #: long story crowding out the others.
    fakes_per_article: int = 20
    voa_per_article: int = 30
    #: One in this many VOA stories is the blind set.
    blind_fraction: float = 0.2


@dataclass(frozen=True)
class _Field:
    source: str
    doc_id: str
    field: str
    text: str
    #: Offset of `text` inside the field (MAVERICK keeps only the headline part).
    offset: int = 0


def blind_voa_stories(story_ids: Iterable[str], fraction: float = 0.2) -> set[str]:
    """The VOA stories set aside as the blind set: the first fifth in sha256 order of the id.

    Deterministic and independent of the sample's seed, so the blind set never changes when
    the pool is redrawn.
    """
    ordered = sorted(set(story_ids), key=lambda i: hashlib.sha256(f"voa:{i}".encode()).hexdigest())
    return set(ordered[: round(len(ordered) * fraction)])


def is_clean_sentence(text: str) -> bool:
    """Long enough to carry an event, short enough to be one sentence, mostly words."""
    return MIN_CHARS <= len(text) <= MAX_CHARS and len(_WORD.findall(text)) >= MIN_WORDS


def segment(fields: list[_Field]) -> dict[tuple[str, str], list[tuple[int, int]]]:
    """Clean sentence offsets (into each field) per (source, doc id), in text order."""
    from sitrep.nlp import annotation_pipeline

    nlp = annotation_pipeline()
    sentences: dict[tuple[str, str], list[tuple[int, int]]] = {}
    # Sentence boundaries need only the parser: entities and lemmas would triple the time.
    with nlp.select_pipes(disable=[p for p in ("ner", "lemmatizer") if p in nlp.pipe_names]):
        for item, doc in zip(fields, nlp.pipe(f.text for f in fields), strict=True):
            spans = sentences.setdefault((item.source, item.doc_id), [])
            for sent in doc.sents:
                text = sent.text_with_ws
                start = sent.start_char + (len(text) - len(text.lstrip()))
                end = sent.start_char + len(text.rstrip())
                if end > start and is_clean_sentence(item.text[start:end]):
                    spans.append((item.offset + start, item.offset + end))
    return {key: spans for key, spans in sentences.items() if spans}


def _maverick_headline(source_column: str) -> tuple[int, str] | None:
    match = _MAVERICK_DATE.search(source_column)
    if match is None:
        return None
    return match.end(), source_column[match.end() :].rstrip()


@lru_cache(maxsize=1)
def _language_identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(HEADLINE_LANGUAGES))
    return identifier


def _is_english(text: str) -> bool:
    """Not confidently another language: on a short headline, py3langid's guess over all
    its languages calls one English headline in seven something else (checked by reading
    MAVERICK's), so it chooses among the languages those sources use, and must be sure."""
    language, probability = _language_identifier().classify(text)
    return bool(language == "en" or probability < NON_ENGLISH_PROBABILITY)


def _unique_headlines(
    documents: dict[str, dict[str, str]], column: str, rng: random.Random, wanted: int
) -> list[_Field]:
    """Up to `wanted` distinct English headlines, drawn at random (identical ones once)."""
    ids = list(documents)
    rng.shuffle(ids)
    seen: set[str] = set()
    fields = []
    for doc_id in ids:
        raw = documents[doc_id].get(column, "")
        if column == "source":
            found = _maverick_headline(raw)
            if found is None:
                continue
            offset, headline = found
        else:
            offset, headline = len(raw) - len(raw.lstrip()), raw.strip()
        key = " ".join(headline.lower().split())
        if not is_clean_sentence(headline) or key in seen or not _is_english(headline):
            continue
        seen.add(key)
        source = "maverick" if column == "source" else "ucdp"
        fields.append(_Field(source, doc_id, column, headline, offset))
        if len(fields) >= wanted:
            break
    return fields


def _take_articles(
    segmented: dict[tuple[str, str], list[tuple[int, int]]],
    order: list[tuple[str, str]],
    quota: int,
    cap: int,
) -> Iterator[tuple[tuple[str, str], list[tuple[int, int]]]]:
    """Whole articles (their first `cap` sentences) in the given order until the quota."""
    taken = 0
    for key in order:
        if taken >= quota:
            return
        spans = segmented.get(key, [])[:cap]
        if spans:
            taken += len(spans)
            yield key, spans


def build_pool(data: SourceData, plan: PoolPlan | None = None) -> list[SentencePointer]:
    """Segment and sample every source into sentence pointers (see docs/annotation.md)."""
    plan = plan or PoolPlan()
    rng = random.Random(plan.seed)
    pointers: list[SentencePointer] = []

    def add(source: str, doc_id: str, field: str, spans: list[tuple[int, int]], split: str) -> None:
        for start, end in spans:
            pointers.append(
                SentencePointer.model_validate(
                    {
                        "sid": f"{source}-{doc_id}-{start}",
                        "source": source,
                        "doc_id": doc_id,
                        "field": field,
                        "start": start,
                        "end": end,
                        "split": split,
                    }
                )
            )

    voa = data.documents("voa")
    blind = blind_voa_stories(voa, plan.blind_fraction)
    fakes = data.documents("fakes")
    articles = [
        _Field("fakes", i, "article_content", d["article_content"]) for i, d in fakes.items()
    ]
    articles += [_Field("voa", i, "text", d["text"]) for i, d in voa.items()]
    seed_text = data.documents("seed")[SEED_DOC_ID][SEED_FIELD]
    articles.append(_Field("seed", SEED_DOC_ID, SEED_FIELD, seed_text))
    headlines = _unique_headlines(data.documents("ucdp"), "source_headline", rng, plan.ucdp)
    headlines += _unique_headlines(data.documents("maverick"), "source", rng, plan.maverick)
    segmented = segment(articles + headlines)

    fakes_order = [("fakes", i) for i in fakes]
    rng.shuffle(fakes_order)
    for (_, doc_id), spans in _take_articles(
        segmented, fakes_order, plan.fakes, plan.fakes_per_article
    ):
        add("fakes", doc_id, "article_content", spans, "train")
    # Every blind story first (they all need gold labels), then training stories at random.
    voa_train = [("voa", i) for i in voa if i not in blind]
    rng.shuffle(voa_train)
    voa_order = [("voa", i) for i in sorted(blind)] + voa_train
    for (_, doc_id), spans in _take_articles(segmented, voa_order, plan.voa, plan.voa_per_article):
        add("voa", doc_id, "text", spans, "blind" if doc_id in blind else "train")
    for item in headlines:
        add(
            item.source,
            item.doc_id,
            item.field,
            segmented.get((item.source, item.doc_id), []),
            "train",
        )
    add("seed", SEED_DOC_ID, SEED_FIELD, segmented.get(("seed", SEED_DOC_ID), []), "train")
    return pointers
