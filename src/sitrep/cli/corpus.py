"""`sitrep corpus build-pool|export-batches|import|stats|train|thresholds|score-blind`: the annotated corpus
and the event classifier trained on it (issue 11)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from sitrep.cli._errors import fail
from sitrep.errors import SitrepError

corpus_app = typer.Typer(
    help="Build the sentence pool, write annotation batches, import labels, measure agreement.",
    no_args_is_help=True,
)

DataOption = Annotated[
    Path | None,
    typer.Option(
        "--data", help="The shared data folder (default ../shared/data; env SITREP_SHARED_DATA)."
    ),
]
PoolOption = Annotated[
    Path | None, typer.Option("--pool", help="The pool file (default: the committed one).")
]
LabelsOption = Annotated[
    Path | None, typer.Option("--labels", help="The labels file (default: the committed one).")
]


@corpus_app.command("build-pool")
def build_pool_cli(data: DataOption = None, out: PoolOption = None, seed: int = 11) -> None:
    """Segment and sample the sources into sentence pointers (no text stored)."""
    from sitrep.events.learn import POOL_FILE, PoolPlan, SourceData, build_pool, write_jsonl

    try:
        pointers = build_pool(SourceData(data), PoolPlan(seed=seed))
    except SitrepError as error:
        raise fail(error) from None
    path = out or POOL_FILE
    write_jsonl(path, pointers)
    counts: dict[str, int] = {}
    for pointer in pointers:
        counts[f"{pointer.source}/{pointer.split}"] = (
            counts.get(f"{pointer.source}/{pointer.split}", 0) + 1
        )
    typer.echo(
        f"{len(pointers)} sentences -> {path}: "
        + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    )


@corpus_app.command("export-batches")
def export_batches_cli(
    out_dir: Annotated[Path, typer.Argument(help="Folder for b01..b12.jsonl and d01..d04.jsonl.")],
    data: DataOption = None,
    pool: PoolOption = None,
    seed: int = 11,
) -> None:
    """Write the annotators' batch files (sentence text included: keep them out of the repo)."""
    from sitrep.events.learn import (
        POOL_FILE,
        BatchPlan,
        SentencePointer,
        SourceData,
        export_batches,
        read_jsonl,
    )

    try:
        pointers = read_jsonl(pool or POOL_FILE, SentencePointer)
        written = export_batches(pointers, SourceData(data), out_dir, BatchPlan(seed=seed))
    except SitrepError as error:
        raise fail(error) from None
    for name, count in written.counts.items():
        overlap = written.overlaps.get(name)
        typer.echo(
            f"{out_dir / name}: {count} sentences"
            + (f" (repeats {', '.join(overlap)})" if overlap else "")
        )


@corpus_app.command("import")
def import_cli(
    files: Annotated[list[Path], typer.Argument(help="Annotators' JSONL files.")],
    data: DataOption = None,
    pool: PoolOption = None,
    labels: LabelsOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check only; store nothing.")] = False,
) -> None:
    """Check annotators' labels (spans found, ACLED's names) and store them as offsets."""
    from sitrep.events.learn import (
        LABELS_FILE,
        POOL_FILE,
        SentenceLabel,
        SentencePointer,
        SourceData,
        import_labels,
        merge_labels,
        read_jsonl,
        write_jsonl,
    )

    target = labels or LABELS_FILE
    try:
        pointers = read_jsonl(pool or POOL_FILE, SentencePointer)
        result = import_labels(files, pointers, SourceData(data))
        existing = read_jsonl(target, SentenceLabel) if target.exists() else []
    except SitrepError as error:
        raise fail(error) from None
    stderr = Console(stderr=True, highlight=False)
    for reject in result.rejects:
        stderr.print(f"rejected {reject}", markup=False)
    if not dry_run:
        write_jsonl(target, merge_labels(existing, result.labels))
    typer.echo(
        f"{len(result.labels)} labels taken, {len(result.rejects)} rejected"
        + ("" if dry_run else f" -> {target}")
    )
    if result.rejects and not result.labels:
        raise typer.Exit(code=1)


@corpus_app.command("stats")
def stats_cli(
    pool: PoolOption = None,
    labels: LabelsOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Pool counts per source and split, labels per sub-event type, Cohen's kappa."""
    from sitrep.events.learn import (
        LABELS_FILE,
        POOL_FILE,
        SentenceLabel,
        SentencePointer,
        corpus_stats,
        read_jsonl,
    )

    labels_path = labels or LABELS_FILE
    try:
        pointers = read_jsonl(pool or POOL_FILE, SentencePointer)
        stored = read_jsonl(labels_path, SentenceLabel) if labels_path.exists() else []
    except SitrepError as error:
        raise fail(error) from None
    stats = corpus_stats(pointers, stored)
    if as_json:
        typer.echo(json.dumps(stats.model_dump(), indent=2))
        return
    typer.echo(f"pool: {sum(stats.pool.values())} sentences")
    for key, count in stats.pool.items():
        typer.echo(f"  {key}: {count}")
    typer.echo(f"labelled: {stats.labelled_sentences} sentences, {stats.no_event} no event")
    for name, count in stats.sub_event_real.items():
        typer.echo(f"  {name}: {count} real, {stats.sub_event_synthetic[name]} synthetic")
    agreement = stats.agreement

    def shown(kappa: float | None) -> str:
        return "n/a" if kappa is None else f"{kappa:.3f}"

    typer.echo(
        f"agreement: {agreement.sentences} double-labelled; kappa event {shown(agreement.event_kappa)}, "
        f"sub-event {shown(agreement.sub_event_kappa)} over {agreement.sub_event_sentences}; "
        f"{len(agreement.disagreements)} disagreements"
    )


def _examples(data: Path | None, pool: Path | None, labels: Path | None) -> tuple[Any, Any]:
    from sitrep.events.learn import (
        LABELS_FILE,
        POOL_FILE,
        SentenceLabel,
        SentencePointer,
        SourceData,
        read_jsonl,
    )
    from sitrep.events.learn.train import build_examples

    pool_path, labels_path = pool or POOL_FILE, labels or LABELS_FILE
    pointers = read_jsonl(pool_path, SentencePointer)
    stored = read_jsonl(labels_path, SentenceLabel)
    return build_examples(pointers, stored, SourceData(data)), (pool_path, labels_path)


@corpus_app.command("train")
def train_cli(
    data: DataOption = None,
    pool: PoolOption = None,
    labels: LabelsOption = None,
    feature_sets: Annotated[
        str, typer.Option("--feature-sets", help="Comma-separated feature sets to compare.")
    ] = "words,words+chars",
    curve: Annotated[bool, typer.Option(help="Also measure the learning curve.")] = True,
    out: Annotated[
        Path | None, typer.Option("--out", help="Folder for the model (default: the package's).")
    ] = None,
) -> None:
    """Cross-validate feature sets by document, train the best, write the model and its card."""
    from sitrep.events.learn.classifier import CARD_FILE, MODEL_FILE
    from sitrep.events.learn.train import report_lines, save, train

    try:
        (examples, disagreements), files = _examples(data, pool, labels)
        model, report = train(
            examples, disagreements, feature_sets.split(","), list(files), curve=curve
        )
    except SitrepError as error:
        raise fail(error) from None
    model_file = out / MODEL_FILE.name if out else MODEL_FILE
    card_file = out / CARD_FILE.name if out else CARD_FILE
    save(model, report, model_file, card_file)
    for line in report_lines(report):
        typer.echo(line)
    typer.echo(f"model -> {model_file}, card -> {card_file}")


@corpus_app.command("thresholds")
def thresholds_cli(
    data: DataOption = None,
    pool: PoolOption = None,
    labels: LabelsOption = None,
    write: Annotated[
        bool, typer.Option("--write", help="Write them to src/sitrep/events/model_gate.yaml.")
    ] = False,
) -> None:
    """Choose the event classifier's thresholds out-of-fold on the corpus (model_gate.yaml)."""
    from sitrep.engine import Engine
    from sitrep.events.learn.classifier import EventClassifier
    from sitrep.events.learn.thresholds import GATE_FILE, load_gate, recompute, write_gate

    try:
        (examples, _), _ = _examples(data, pool, labels)
        feature_set = str(EventClassifier.load().card.get("feature_set", "words+chars"))
        gate, candidates = recompute(examples, feature_set, load_gate().criteria, Engine())
    except SitrepError as error:
        raise fail(error) from None
    for threshold, measured in candidates:
        typer.echo(
            f"P(event) < {threshold:.2f}: drops {measured.events_dropped:.1%} of the "
            f"rule-found events, {measured.non_events_dropped:.1%} of the non-events; "
            f"event F1 {measured.rules_f1:.3f} -> {measured.gated_f1:.3f}"
        )
    typer.echo(gate.model_dump_json(indent=2))
    if write:
        write_gate(gate)
        typer.echo(f"thresholds -> {GATE_FILE}")


@corpus_app.command("score-blind")
def score_blind_cli(
    data: DataOption = None,
    pool: PoolOption = None,
    labels: LabelsOption = None,
) -> None:
    """Score the committed model on the blind VOA stories (do it once, at the end)."""
    from sitrep.events.learn.classifier import EventClassifier
    from sitrep.events.learn.train import score_blind

    try:
        (examples, _), _ = _examples(data, pool, labels)
        result = score_blind(EventClassifier.load().pipeline, examples)
    except SitrepError as error:
        raise fail(error) from None
    typer.echo(result.model_dump_json(indent=2))


def register(app: typer.Typer) -> None:
    """Add `sitrep corpus ...` to the `sitrep` app."""
    app.add_typer(corpus_app, name="corpus")
