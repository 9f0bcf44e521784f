"""One event for a person: its fields, each with the report's words that support it."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from sitrep.models import PLACE_FIELDS, Event, Report

#: Colours cycled over the evidence fields, so each field's words are told apart.
_PALETTE = ("yellow", "cyan", "magenta", "green", "bright_blue", "red", "bright_yellow")


def event_view(event: Event, report: Report | None) -> RenderableType:
    """The event's fields (with evidence quotes) and the report text, evidence highlighted."""
    styles = {
        field: f"bold black on {_PALETTE[n % len(_PALETTE)]}"
        for n, field in enumerate(event.evidence)
    }
    fields = Table(show_header=True, header_style="bold", title=f"event {event.event_id}")
    fields.add_column("field")
    fields.add_column("value")
    fields.add_column("evidence")
    for name, value in _field_values(event):
        evidence = event.evidence.get(name)
        quotes = Text()
        if evidence is not None:
            for span in evidence.spans:
                quotes.append(f"“{span.text}”", style=styles[name]).append(" ")
            quotes.append(f"{evidence.confidence:.2f}", style="dim")
            if evidence.rule:
                quotes.append(f" ({evidence.rule})", style="dim")
        fields.add_row(name, value, quotes)
    parts: list[RenderableType] = [fields]
    if event.flags:
        parts.append(Text(f"flags: {', '.join(event.flags)}", style="bold red"))
    if report is None:
        parts.append(Text(f"report {event.report_id} is not stored", style="red"))
        return Group(*parts)
    parts.append(Panel(highlighted_text(event, report.text, styles), title=_report_title(report)))
    return Group(*parts)


def highlighted_text(event: Event, text: str, styles: dict[str, str]) -> Text:
    """The report text with each evidence span styled by its field."""
    highlighted = Text(text)
    for field, evidence in event.evidence.items():
        for span in evidence.spans:
            if 0 <= span.start < span.end <= len(text):
                highlighted.stylize(styles[field], span.start, span.end)
    if event.trigger is not None:
        highlighted.stylize("underline", event.trigger.start, event.trigger.end)
    return highlighted


def _field_values(event: Event) -> list[tuple[str, str]]:
    row = event.acled_row()
    shown = [
        name
        for name in (
            "event_date",
            "time_precision",
            "event_type",
            "sub_event_type",
            "actor1",
            "assoc_actor_1",
            "actor2",
            "assoc_actor_2",
            "interaction",
            *PLACE_FIELDS,
            "fatalities",
            "source",
            "notes",
        )
        if row[name] != "" or name in event.evidence
    ]
    values = [(name, str(row[name])) for name in shown]
    values += [
        ("attack_method", event.attack_method or ""),
        ("attribution", event.attribution or ""),
        ("confidence", f"{event.confidence:.2f}"),
    ]
    # Evidence recorded under a name not listed above is still shown.
    listed = {name for name, _ in values}
    values += [(name, str(row.get(name, ""))) for name in event.evidence if name not in listed]
    return values


def _report_title(report: Report) -> str:
    parts = [report.title or "report", report.source or "", str(report.published or "undated")]
    return " · ".join(part for part in parts if part)
