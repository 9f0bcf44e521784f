"""The learned side of the events stage: the annotated corpus and the event classifier.

`corpus` holds the formats and the loader, `pool` segments and samples the sources,
`batches` writes the annotators' files, `labels` imports their work and measures agreement,
`train` cross-validates and fits the model, `classifier` loads it and reads sentences,
`thresholds` chooses where the events stage trusts it. docs/annotation.md is the
annotators' guide.
"""

from sitrep.events.learn.batches import BatchFiles, BatchPlan, export_batches
from sitrep.events.learn.corpus import (
    LABELS_FILE,
    POOL_FILE,
    SentenceLabel,
    SentencePointer,
    SourceData,
    read_jsonl,
    write_jsonl,
)
from sitrep.events.learn.labels import (
    Agreement,
    CorpusStats,
    ImportResult,
    agreement,
    corpus_stats,
    import_labels,
    merge_labels,
)
from sitrep.events.learn.pool import PoolPlan, blind_voa_stories, build_pool

__all__ = [
    "LABELS_FILE",
    "POOL_FILE",
    "Agreement",
    "BatchFiles",
    "BatchPlan",
    "CorpusStats",
    "ImportResult",
    "PoolPlan",
    "SentenceLabel",
    "SentencePointer",
    "SourceData",
    "agreement",
    "blind_voa_stories",
    "build_pool",
    "corpus_stats",
    "export_batches",
    "import_labels",
    "merge_labels",
    "read_jsonl",
    "write_jsonl",
]
