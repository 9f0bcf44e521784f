"""Writes the hostile-input corpus next to this file: `python tests/ingest/hostile/make_corpus.py`.

Every text is ours. Each file is named in `expected.yaml` with what a batch must make of
it (documents stored, failures and their reasons). Files whose names cannot live in a git
tree (a newline, a leading dash) are made by the test itself, in a temporary copy.
"""

from __future__ import annotations

import codecs
import json
import random
from pathlib import Path

HERE = Path(__file__).parent / "corpus"

GOOD = (
    "Government artillery shelled the village of Kafr Nabl in Idlib province on Monday, "
    "killing three civilians, local medics said."
)
SECOND = (
    "Two policemen were killed when a roadside bomb exploded beside their patrol near "
    "Mosul on Tuesday, the provincial police chief said."
)
THIRD = (
    "Rebel fighters clashed with army troops on the outskirts of Daraa on Wednesday; "
    "four fighters died in the fighting, a monitor reported."
)
FRENCH = (
    "Des soldats ont ouvert le feu sur des manifestants dans la capitale mardi, selon des "
    "témoins qui ont parlé à notre correspondant sur place."
)


def tagged(text: str, tag: str) -> str:
    """`text` made unique to one document, so each good document is stored under its own id."""
    return f"{text} The monitor filed this as note {tag}."


def write(name: str, data: bytes | str) -> None:
    path = HERE / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def csv_of(rows: list[list[str]], delimiter: str = ",") -> str:
    lines = []
    for row in rows:
        lines.append(delimiter.join('"' + cell.replace('"', '""') + '"' for cell in row))
    return "\n".join(lines) + "\n"


def main() -> None:
    rng = random.Random(16)
    # Plain text in every encoding a monitor's files come in.
    write("good_plain.txt", tagged(GOOD, "1"))
    write("good_crlf.txt", tagged(GOOD, "2").replace(", ", ",\r\n") + "\r\n")
    write(
        "good_cp1252.txt",
        ("\u201c" + tagged(GOOD, "3") + "\u201d \u2013 caf\u00e9").encode("cp1252"),
    )
    write("good_utf8_bom.txt", codecs.BOM_UTF8 + tagged(SECOND, "4").encode("utf-8"))
    write("good_utf16_bom.txt", tagged(SECOND, "5").encode("utf-16"))
    write("utf16_le_no_bom.txt", tagged(THIRD, "6").encode("utf-16-le"))
    write("utf16_be_no_bom.txt", tagged(GOOD, "7").encode("utf-16-be"))
    write("good_latin1.txt", (tagged(THIRD, "8") + " Caf\u00e9 na\u00efve.").encode("latin-1"))
    controlled = tagged(GOOD, "44")
    write("control_chars.txt", controlled[:40] + "\x07\x1b[31m" + controlled[40:] + "\x0b")
    write("bidi_and_zero_width.txt", "\u202e\u200b" + tagged(SECOND, "9") + "\u200d\ufeff")
    write("emoji_astral.txt", tagged(THIRD, "10") + " \U0001f4a5\U0001f525 \U00010348")
    with_nul = tagged(GOOD, "46")
    write("nul_inside.txt", with_nul[:30] + "\x00" + with_nul[30:])
    write("short_english.txt", "Two killed in Aleppo shelling.")
    write("french.txt", FRENCH)
    write("sub/deeper/nested_good.txt", tagged(SECOND, "11"))
    # Text that is no text at all.
    write("empty.txt", b"")
    write("whitespace_only.txt", " \n\t\n  \r\n")
    write("only_nul.txt", b"\x00" * 64)
    write("random_bytes.txt", bytes(rng.randrange(256) for _ in range(2048)))
    write("png_named_txt.txt", b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(512)))
    write("zero_width_only.txt", "\u200b\u200c\u200d" * 50)
    # Pathological but legitimate: must be coded, however long it takes per word.
    write("one_word_repeated.txt", "attack " * 1000)
    write("one_long_token.txt", "x" * 20_000)
    write("many_short_lines.txt", "\n".join(["killed."] * 500))
    # JSON.
    write("deep_array.json", "[" * 5_000 + "]" * 5_000)
    write("deep_in_text_field.json", '{"text": ' + "[" * 5_000 + "]" * 5_000 + "}")
    write("lone_surrogate_text.json", '{"text": "' + tagged(GOOD, "12") + ' \\ud800 \\udfff end"}')
    write(
        "lone_surrogate_title.json",
        json.dumps({"text": tagged(SECOND, "13"), "title": "x"})[:-1].replace(
            '"x"', '"bad \\udc80 title"'
        )
        + "}",
    )
    write(
        "nul_in_metadata.json",
        json.dumps({"text": tagged(THIRD, "14"), "title": "a\u0000b", "source": "\u0000"}),
    )
    write(
        "long_title.json",
        json.dumps(
            {"text": tagged(GOOD, "15"), "title": "Report " * 800, "url": "http://x/" + "p" * 5000}
        ),
    )
    write("number.json", "42")
    write("null.json", "null")
    write("string.json", '"just a string"')
    write(
        "list_mixed.json",
        json.dumps(
            [
                {"text": tagged(GOOD, "16")},
                5,
                "text",
                {"title": "no text"},
                {"text": tagged(SECOND, "17")},
            ]
        ),
    )
    write("text_not_string.json", '{"text": 123}')
    write("truncated.json", '{"text": "' + tagged(GOOD, "48")[:50])
    write("trailing_garbage.json", json.dumps({"text": tagged(GOOD, "18")}) + " }}}")
    write("nan_date.json", '{"text": "' + tagged(THIRD, "19") + '", "date": NaN}')
    write("huge_integer.json", '{"text": "' + tagged(GOOD, "20") + '", "date": ' + "9" * 5000 + "}")
    write(
        "weird_dates.json",
        json.dumps(
            [
                {"text": tagged(GOOD, "21"), "date": "0000-00-00"},
                {"text": tagged(SECOND, "22"), "date": "99999-12-31"},
                {"text": tagged(THIRD, "23"), "date": {"year": 2024}},
            ]
        ),
    )
    write(
        "language_field_unknown.json",
        json.dumps({"text": tagged(GOOD, "24"), "language": "xx-notalanguage"}),
    )
    # JSON Lines.
    write(
        "lines.jsonl",
        "\n".join(
            [
                json.dumps({"text": tagged(GOOD, "25")}),
                "{not json",
                "[" * 5_000,
                '{"text": "' + tagged(SECOND, "26") + ' \\ud83d"}',
                "",
                json.dumps({"text": tagged(THIRD, "27")}),
                "7",
            ]
        )
        + "\n",
    )
    write("blank_lines_only.jsonl", "\n\n   \n")
    # CSV.
    write(
        "semicolon.csv",
        csv_of(
            [["title", "text"], ["one", tagged(GOOD, "28")], ["two", tagged(SECOND, "29")]], ";"
        ),
    )
    write(
        "tab_separated.csv", csv_of([["text", "date"], [tagged(THIRD, "30"), "2024-03-05"]], "\t")
    )
    write(
        "nul_in_row.csv",
        csv_of(
            [
                ["text"],
                [tagged(GOOD, "31")],
                ["bad \x00 row " + tagged(SECOND, "32")],
                [tagged(THIRD, "33")],
            ]
        ),
    )
    write("header_only.csv", "text,date,title\n")
    write("empty.csv", b"")
    write("bom.csv", codecs.BOM_UTF8 + csv_of([["text"], [tagged(SECOND, "34")]]).encode("utf-8"))
    write(
        "quoted_newlines.csv",
        csv_of([["text", "title"], [tagged(GOOD, "35").replace(", ", ",\n"), "multi\nline"]]),
    )
    write(
        "ragged.csv",
        "text,title\n"
        + '"'
        + tagged(GOOD, "36")
        + '",a,extra,cells\n'
        + '"'
        + tagged(SECOND, "37")
        + '"\n',
    )
    write("unterminated_quote.csv", 'text\n"' + tagged(THIRD, "38") + "\n")
    write("no_text_column.csv", csv_of([["body"], [tagged(GOOD, "39")]]))
    write("utf16.csv", csv_of([["text"], [tagged(GOOD, "40")]]).encode("utf-16"))
    # HTML.
    write(
        "script_only.html",
        "<html><head><script>var a = 1;</script></head><body><nav>Home</nav></body></html>",
    )
    write(
        "broken_tags.html",
        "<html><body><article><p>"
        + tagged(GOOD, "41")
        + "<p>"
        + tagged(SECOND, "42")
        + "<div><span></article>",
    )
    write(
        "deep_divs.html",
        "<html><body>"
        + "<div>" * 5_000
        + "<p>"
        + tagged(THIRD, "43")
        + "</p>"
        + "</div>" * 5_000
        + "</body></html>",
    )
    # Not reports.
    write("notes.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    write("README", "not a report format")


if __name__ == "__main__":
    main()
