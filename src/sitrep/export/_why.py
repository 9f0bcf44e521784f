"""Decision records for a person: which rule decided each field of an event, and what the
pipeline suppressed in a report, each rule with its one-line statement."""

from __future__ import annotations

from rich.text import Text

from sitrep.models import PLACE_FIELDS, Event, Extraction
from sitrep.rules import RuleRegistry

#: Rules of the event classifier: the field's confidence is the model's probability.
MODEL_AREA = "model."


def _statement(rules: RuleRegistry, rule_id: str | None) -> str:
    if rule_id is None:
        return "no rule of the registry (a rule was switched off)"
    return rules.get(rule_id).statement if rule_id in rules else "(not a declared rule)"


def event_decisions(event: Event, rules: RuleRegistry) -> Text:
    """One line per field: the field, the deciding rule id (then the rules that changed it),
    the words, and the rule's statement."""
    lines = Text()
    lines.append(f"event {event.event_id}: {event.event_type} / {event.sub_event_type}\n")
    for field, evidence in event.evidence.items():
        if field in PLACE_FIELDS and field != "location":
            continue  # one evidence serves every place field
        field = "place" if field == "location" else field
        words = " … ".join(f"“{span.text}”" for span in evidence.spans)
        lines.append(f"  {field}: ", style="bold")
        lines.append(evidence.rule or "-", style="cyan")
        for later in evidence.amended_by:
            lines.append(" then ").append(later, style="cyan")
            if later.startswith(MODEL_AREA):
                lines.append(f" (model, p={evidence.confidence:.2f})")
        lines.append(f"  {words}\n")
        lines.append(f"      {_statement(rules, evidence.rule)}\n", style="dim")
    if event.flags:
        lines.append(f"  flags: {', '.join(event.flags)}\n", style="red")
    return lines


def suppression_lines(extraction: Extraction, rules: RuleRegistry) -> Text:
    """What was dropped or merged away, with the rule and the words; why no event came out."""
    lines = Text()
    for suppression in extraction.suppressions:
        lines.append("  suppressed ", style="bold")
        lines.append(suppression.rule, style="cyan")
        lines.append(f"  “{suppression.words.text}” at {suppression.words.start}")
        if suppression.detail:
            lines.append(f" ({suppression.detail})")
        lines.append(f"\n      {_statement(rules, suppression.rule)}\n", style="dim")
    if not extraction.events:
        lines.append(f"  no event: {extraction.no_event_reason}\n", style="yellow")
    return lines


def report_decisions(extraction: Extraction, rules: RuleRegistry, title: str = "") -> Text:
    """A report's whole decision record: each event's fields, then the suppressions."""
    lines = Text()
    events, dropped = len(extraction.events), len(extraction.suppressions)
    lines.append(
        f"report {extraction.report_id}{f' ({title})' if title else ''}: "
        f"{events} events, {dropped} suppressed\n",
        style="bold",
    )
    for event in extraction.events:
        lines.append_text(event_decisions(event, rules))
    lines.append_text(suppression_lines(extraction, rules))
    return lines
