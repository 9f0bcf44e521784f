"""Readers turn every supported input into Reports, and every bad one into a clear issue."""

from __future__ import annotations

import io
import os
from datetime import date
from pathlib import Path

import pytest

from sitrep.errors import InputError
from sitrep.ingest import IngestIssue, IngestOptions, read_paths
from sitrep.models import Report

FIXTURES = Path(__file__).parent / "fixtures"


def read(*paths: str | Path, **options: object) -> list[Report | IngestIssue]:
    return list(read_paths(paths, IngestOptions.model_validate(options)))


def reports(items: list[Report | IngestIssue]) -> list[Report]:
    return [item for item in items if isinstance(item, Report)]


def issues(items: list[Report | IngestIssue], kind: str = "failed") -> list[IngestIssue]:
    return [item for item in items if isinstance(item, IngestIssue) and item.kind == kind]


def only_issue(items: list[Report | IngestIssue]) -> IngestIssue:
    assert len(items) == 1 and isinstance(items[0], IngestIssue), items
    return items[0]


def test_plain_text_with_command_line_metadata() -> None:
    (report,) = read(FIXTURES / "wire.txt", date=date(2020, 3, 3), source="Wire desk")
    assert isinstance(report, Report)
    assert report.text.startswith("BEIRUT, March 3 - Government aircraft")
    assert report.text.endswith("shortly after noon.")  # trailing newline stripped
    assert "\n\n" in report.text  # paragraphs kept
    assert (report.published, report.source, report.language) == (
        date(2020, 3, 3),
        "Wire desk",
        "en",
    )
    assert report.origin == str(FIXTURES / "wire.txt")


def test_html_gives_only_the_article_and_its_metadata() -> None:
    (report,) = read(FIXTURES / "article.html")
    assert isinstance(report, Report)
    assert report.text.startswith("Car bomb kills four in Azaz")
    assert "killing four people" in report.text
    for noise in ("Sign in", "Celebrity", "Subscribe", "Copyright", "dataLayer", "pageview"):
        assert noise not in report.text
    assert report.title == "Car bomb kills four in Azaz"
    assert report.published == date(2017, 1, 7)  # the page's stated date, not its copyright
    assert report.source == "Frontline Wire"


def test_html_without_an_article_is_a_failure() -> None:
    issue = only_issue(read(FIXTURES / "navigation_only.html"))
    assert issue.kind == "failed" and "no article text" in issue.reason


def test_json_object_and_list() -> None:
    (single,) = read(FIXTURES / "report.json")
    assert isinstance(single, Report)
    assert single.published == date(2016, 9, 20)  # 09/20/2016, read by dateparser
    assert (single.title, single.source, single.url) == (
        "Checkpoint attack",
        "Desk B",
        "https://example.org/checkpoint",
    )
    items = read(FIXTURES / "reports.json")
    assert [r.title for r in reports(items)] == ["Clashes in Deir ez-Zor", "Protest in Daraa"]
    assert reports(items)[1].published == date(2017, 9, 14)
    failed = issues(items)
    assert [i.origin.rsplit("#", 1)[1] for i in failed] == ["item=2", "item=3"]
    assert "no text in field 'text' (fields: title, date)" in failed[0].reason


def test_jsonl_line_by_line_with_bad_lines_reported() -> None:
    items = read(FIXTURES / "reports.jsonl")
    assert [str(r.origin).rsplit("#", 1)[1] for r in reports(items)] == ["line=1", "line=3"]
    assert [(i.origin.rsplit("#", 1)[1], i.reason) for i in issues(items)] == [
        ("line=4", "not valid JSON (Expecting value)"),
        ("line=5", "empty document, there is no text to read"),
    ]


def test_an_ambiguous_numeric_date_follows_the_source_convention_with_a_warning(
    tmp_path: Path,
) -> None:
    path = tmp_path / "wire.jsonl"
    path.write_text(
        '{"text": "Shelling hit the town.", "date": "03/04/2016", "source": "Local monitor"}\n'
        '{"text": "Jets struck the town.", "date": "03/04/2016", '
        '"url": "https://www.voanews.com/a/story.html"}\n'
        '{"text": "Gunmen raided the town.", "date": "20/04/2016"}\n',
        encoding="utf-8",
    )
    items = read(path)
    assert [r.published for r in reports(items)] == [
        date(2016, 4, 3),
        date(2016, 3, 4),
        date(2016, 4, 20),
    ]
    warnings = issues(items, "warning")
    assert len(warnings) == 2
    assert "'03/04/2016' is ambiguous, read as 2016-04-03" in warnings[0].reason
    assert "read as 2016-03-04" in warnings[1].reason


def test_unreadable_date_keeps_the_report_undated_with_a_warning() -> None:
    items = read(FIXTURES / "reports.jsonl", date=date(2018, 1, 1))
    undated = reports(items)[1]
    assert undated.published is None  # not the command-line default, not today
    (warning,) = issues(items, "warning")
    assert warning.origin == undated.origin
    assert "'not a date at all' could not be read" in warning.reason
    assert "stored without a report date" in warning.reason


def test_csv_with_named_columns() -> None:
    items = read(
        FIXTURES / "reports.csv",
        text_column="body",
        date_column="published",
        title_column="headline",
        source_column="outlet",
    )
    first, third = reports(items)
    assert (first.title, first.source, first.published) == (
        "Rebels take Tal Malah",
        "Desk D",
        date(2017, 3, 24),
    )
    assert first.origin == f"{FIXTURES / 'reports.csv'}#row=2"
    assert third.published is None and third.source == "Desk E"
    assert [i.origin.rsplit("#", 1)[1] for i in issues(items)] == ["row=3"]
    assert len(issues(items, "warning")) == 1


@pytest.mark.parametrize(
    ("options", "missing", "flag"),
    [
        ({}, "'text'", "--text-column"),
        ({"text_column": "body", "date_column": "when"}, "'when'", "--date-column"),
    ],
)
def test_csv_without_the_named_column_names_the_columns_it_has(
    options: dict[str, str], missing: str, flag: str
) -> None:
    issue = only_issue(read(FIXTURES / "reports.csv", **options))
    assert issue.reason == (
        f"no column {missing} (columns: id, body, published, headline, outlet); "
        f"name the right one with {flag}"
    )


def test_folder_is_read_recursively_and_other_files_are_listed(tmp_path: Path) -> None:
    nested = tmp_path / "2017" / "march"
    nested.mkdir(parents=True)
    (nested / "a.txt").write_text((FIXTURES / "wire.txt").read_text())
    (tmp_path / "b.json").write_text((FIXTURES / "report.json").read_text())
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4 binary")
    items = read(tmp_path)
    assert [Path(r.origin or "").name for r in reports(items)] == ["a.txt", "b.json"]
    (skipped,) = issues(items, "skipped")
    assert skipped.origin == str(tmp_path / "scan.pdf")
    assert skipped.reason.startswith("not a report format (.pdf); sitrep reads .txt, .html")


def test_missing_path_is_a_failure_and_the_rest_is_read(tmp_path: Path) -> None:
    items = read(tmp_path / "missing.txt", FIXTURES / "wire.txt")
    assert only_issue(items[:1]).reason == "no such file or folder"
    assert len(reports(items)) == 1


def test_empty_and_whitespace_files_fail(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"  \n\n\t ")
    items = read(tmp_path / "empty.txt", tmp_path / "blank.txt")
    assert [i.reason for i in issues(items)] == ["empty file, there is no text to read"] * 2


@pytest.mark.parametrize(
    "data",
    [
        os.urandom(0) + bytes(range(256)) * 8,  # every byte value, NULs included
        b"\x89PNG\r\n\x1a\n" + bytes([7, 200, 3, 14, 255, 1, 2]) * 300,
        bytes((n * 37 + 11) % 256 for n in range(4000) if (n * 37 + 11) % 256),  # no NUL
    ],
)
def test_binary_garbage_fails_with_a_one_line_reason(tmp_path: Path, data: bytes) -> None:
    (tmp_path / "garbage.txt").write_bytes(data)
    issue = only_issue(read(tmp_path / "garbage.txt"))
    assert issue.reason.startswith("looks like binary data, not text")
    assert "\n" not in issue.reason


def test_non_utf8_text_is_decoded_by_detection(tmp_path: Path) -> None:
    text = (
        "Des frappes aériennes ont touché le marché de Maarat al-Nouman vendredi, tuant "
        "dix-huit civils, selon l'Observatoire. Les secouristes décrivent des scènes de "
        "désolation après l'attaque, la troisième de la semaine dans la région d'Idleb."
    )
    (tmp_path / "latin.txt").write_bytes(text.encode("cp1252"))
    (tmp_path / "utf16.txt").write_bytes(text.encode("utf-16"))
    latin, utf16 = read(tmp_path / "latin.txt", tmp_path / "utf16.txt")
    assert isinstance(latin, Report) and latin.text == text
    assert isinstance(utf16, Report) and utf16.text == text
    assert latin.language == "fr"


def test_undecodable_bytes_in_text_are_replaced_not_fatal(tmp_path: Path) -> None:
    data = ("Shelling hit the town of Douma on Monday, killing four people. " * 5).encode()
    (tmp_path / "mixed.txt").write_bytes(data[:100] + b"\xff" + data[100:])
    (report,) = read(tmp_path / "mixed.txt")
    assert isinstance(report, Report) and "killing four people" in report.text


def test_non_utf8_csv_is_streamed_with_the_detected_encoding(tmp_path: Path) -> None:
    text = (
        "Frappe à Alep: la défense civile a dénombré trois morts après le bombardement "
        "d'un quartier résidentiel à l'aube; des équipes de secours ont évacué les blessés "
        "vers l'hôpital le plus proche, déjà débordé, selon un médecin présent sur place."
    )
    rows = f'text,date\n"{text}",2016-08-02\n'
    (tmp_path / "latin.csv").write_bytes(rows.encode("cp1252"))
    (report,) = read(tmp_path / "latin.csv")
    assert isinstance(report, Report) and report.text == text


def test_a_20_mb_text_is_refused_naming_the_limit_and_how_to_raise_it(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"Fighting continued in the north. " * 640_000)  # about 21 MB
    items = read(big, FIXTURES / "wire.txt")
    issue = only_issue(items[:1])
    assert issue.reason == (
        "too large (21.1 MB; the limit is 5 MB per document); "
        "raise it with --max-bytes or SITREP_MAX_BYTES"
    )
    assert len(reports(items)) == 1  # the rest of the batch goes on
    (raised,) = read(big, max_bytes=25_000_000)
    assert isinstance(raised, Report) and len(raised.text) > 20_000_000


def test_the_limit_applies_to_each_streamed_document(tmp_path: Path) -> None:
    long_text = "word " * 300
    (tmp_path / "docs.csv").write_text(f"text\n{long_text}\nshort but real report text\n")
    items = read(tmp_path / "docs.csv", max_bytes=1000)
    assert "too large (0.0 MB; the limit is 0.001 MB" in only_issue(items[:1]).reason
    assert len(reports(items)) == 1


def test_max_bytes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITREP_MAX_BYTES", "100")
    assert IngestOptions().max_bytes == 100
    monkeypatch.setenv("SITREP_MAX_BYTES", "lots")
    with pytest.raises(InputError, match="SITREP_MAX_BYTES='lots' is not a positive number"):
        IngestOptions()


def test_stdin_text_and_html() -> None:
    text = (FIXTURES / "wire.txt").read_bytes()
    (report,) = read_paths(["-"], IngestOptions(), stdin=io.BytesIO(text))
    assert isinstance(report, Report) and report.origin == "<stdin>"
    assert report.text == text.decode().strip()
    html = (FIXTURES / "article.html").read_bytes()
    (page,) = read_paths(["-"], IngestOptions(), stdin=io.BytesIO(html))
    assert isinstance(page, Report) and page.title == "Car bomb kills four in Azaz"


def test_stdin_over_the_limit_is_refused() -> None:
    (issue,) = read_paths(["-"], IngestOptions(max_bytes=10), stdin=io.BytesIO(b"x" * 50))
    assert isinstance(issue, IngestIssue) and issue.reason.startswith("too large (the limit")


def test_language_is_detected_and_a_given_one_is_kept(tmp_path: Path) -> None:
    (arabic,) = read(FIXTURES / "arabic.txt")
    assert isinstance(arabic, Report) and arabic.language == "ar"
    (tmp_path / "tagged.jsonl").write_text(
        '{"text": "A short note.", "language": "en"}\n{"text": "Too short to tell."}\n'
    )
    tagged, untagged = read(tmp_path / "tagged.jsonl")
    assert isinstance(tagged, Report) and tagged.language == "en"
    assert isinstance(untagged, Report) and untagged.language is None


def test_same_text_gives_the_same_report_id_whatever_the_file(tmp_path: Path) -> None:
    (tmp_path / "copy.txt").write_bytes(
        (FIXTURES / "wire.txt").read_bytes().replace(b"\n", b"\r\n")
    )
    original, copy = read(FIXTURES / "wire.txt", tmp_path / "copy.txt")
    assert isinstance(original, Report) and isinstance(copy, Report)
    assert original.report_id == copy.report_id


def test_arabic_windows_code_page_is_decoded(tmp_path: Path) -> None:
    text = (FIXTURES / "arabic.txt").read_text(encoding="utf-8").strip()
    (tmp_path / "cp1256.txt").write_bytes(text.encode("cp1256"))
    (report,) = read(tmp_path / "cp1256.txt")
    assert isinstance(report, Report) and report.text == text and report.language == "ar"


def test_a_file_named_explicitly_is_read_as_text_whatever_its_extension(tmp_path: Path) -> None:
    notes = tmp_path / "field-notes.md"
    notes.write_text("Shelling hit the outskirts of Ariha overnight, residents said.\n")
    (report,) = read(notes)
    assert isinstance(report, Report) and report.text.startswith("Shelling hit")


def test_a_date_given_as_a_number_is_read_not_ignored(tmp_path: Path) -> None:
    (tmp_path / "numbers.jsonl").write_text(
        '{"text": "Clashes were reported near Manbij.", "date": 2016}\n'
        '{"text": "A convoy was ambushed near Palmyra.", "date": 123456789012}\n'
    )
    items = read(tmp_path / "numbers.jsonl")
    year_only, nonsense = reports(items)
    assert year_only.published == date(2016, 1, 1)
    assert nonsense.published is None
    assert "'123456789012' could not be read" in issues(items, "warning")[0].reason
