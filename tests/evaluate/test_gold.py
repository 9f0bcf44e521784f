import csv
from datetime import date
from pathlib import Path

import pytest

from sitrep.errors import EvaluationError
from sitrep.evaluate import read_acled, read_fakes

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"

#: One ACLED row with every column the reader needs; tests override a field or two.
ACLED_ROW = {
    "event_id_cnty": "SYR1",
    "event_date": "2020-05-09",
    "event_type": "Battles",
    "sub_event_type": "Armed clash",
    "actor1": "Islamic State (Syria)",
    "admin1": "Homs",
    "latitude": "34.56",
    "longitude": "38.27",
    "geo_precision": "1",
    "fatalities": "2",
    "notes": "On 9 May 2020, IS clashed with regime forces near Tadmur (Homs).",
}
FAKES_ROW = {
    "unit_id": "11",
    "article_title": "Shelling kills four",
    "article_content": "Four people died.",
    "source": "sana",
    "date": "4/5/17",
    "location": "homs",
    "actor": "unknown",
    "cause_of_death": "shelling",
    "nb_children": "0",
    "nb_civilians": "3",
    "nb_noncivilians": "1",
    "nb_women": "0",
    "label": "1",
}


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_acled_fixture_reads_every_row_with_notes_as_text_and_event_date_as_report_date():
    golds, problems = read_acled(FIXTURES / "acled_sample.csv")
    assert problems == []
    assert len(golds) >= 20
    first = golds[0]
    assert first.row_id == "SYR90001"
    assert first.report.text.startswith("On 9 May 2019, Syrian regime forces shelled Kafr Nabl")
    assert first.report.published == date(2019, 5, 9)
    assert (first.event_type, first.actor1, first.admin1) == (
        "Explosions/Remote violence",
        "Military Forces of Syria (2000-)",
        "Idleb",
    )
    assert first.latitude == pytest.approx(35.6139)
    assert first.geo_precision == 1


@pytest.mark.parametrize("written", ["2020-05-09", "09 May 2020", "9-May-20"])
def test_acled_event_dates_in_each_export_style(tmp_path, written):
    row = {key: value for key, value in ACLED_ROW.items() if key != "event_id_cnty"}
    golds, _ = read_acled(write_csv(tmp_path / "acled.csv", [row | {"event_date": written}]))
    assert golds[0].report.published == date(2020, 5, 9)
    assert golds[0].row_id == "line 2"


def test_missing_columns_are_named_in_one_line(tmp_path):
    path = write_csv(tmp_path / "acled.csv", [{"event_date": "2020-05-09", "notes": "x"}])
    with pytest.raises(EvaluationError) as raised:
        read_acled(path)
    message = str(raised.value)
    assert "\n" not in message
    assert "missing column(s) event_type, sub_event_type, actor1" in message
    assert "fatalities" in message


def test_a_bad_row_is_skipped_with_its_reason_and_the_rest_kept(tmp_path):
    rows = [
        ACLED_ROW,
        ACLED_ROW | {"event_id_cnty": "SYR2", "fatalities": "many"},
        ACLED_ROW | {"event_id_cnty": "SYR3", "event_date": "someday"},
    ]
    golds, problems = read_acled(write_csv(tmp_path / "a.csv", rows))
    assert [g.row_id for g in golds] == ["SYR1"]
    assert len(problems) == 2
    assert "SYR2" in problems[0] and "fatalities 'many'" in problems[0]
    assert "SYR3" in problems[1] and "someday" in problems[1]


def test_fakes_text_is_title_blank_line_content_and_dates_are_month_first(tmp_path):
    rows = [FAKES_ROW, FAKES_ROW | {"article_content": "Repeated row."}]
    golds, problems = read_fakes(write_csv(tmp_path / "f.csv", rows))
    assert problems == []
    assert golds[0].report.text == "Shelling kills four\n\nFour people died."
    assert golds[0].report.published == date(2017, 4, 5)
    assert golds[0].deaths == 4
    assert [g.row_id for g in golds] == ["11", "11#2"]


def test_limit_reads_only_the_first_rows():
    golds, _ = read_acled(FIXTURES / "acled_sample.csv", limit=3)
    assert [g.row_id for g in golds] == ["SYR90001", "SYR90002", "SYR90003"]


def test_the_shared_fakes_dev_set_reads_whole():
    path = SHARED / "fakes_dev.csv"
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared dev data sits next to the repository)")
    golds, problems = read_fakes(path)
    assert problems == []
    assert len(golds) == 205
    assert len({g.row_id for g in golds}) == 205
    assert all(g.report.published is not None for g in golds)


def test_an_empty_file_is_named_as_empty(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(EvaluationError, match="empty.csv is empty"):
        read_fakes(path)


def test_binary_garbage_is_refused_in_one_line(tmp_path):
    path = tmp_path / "garbage.csv"
    path.write_bytes(bytes(range(128, 256)) * 8)
    with pytest.raises(EvaluationError, match="not a readable UTF-8 CSV"):
        read_acled(path)
