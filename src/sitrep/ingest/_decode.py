"""Bytes to text: UTF-8 first, then the encoding charset-normalizer detects, else replacement.

Binary data (images, archives, office files) is refused rather than decoded into noise.
Text that Python can hold but a database or an encoder cannot (NUL, lone surrogates from
JSON escapes or undecodable file names) is cleaned here, before it reaches a Report.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

from sitrep.errors import InputError

#: Byte order marks settle the encoding before any guessing.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: Share of control or undecodable characters above which a text is taken for binary data.
_BINARY_SHARE = 0.05
_BINARY_SAMPLE_CHARS = 4096
_WHITESPACE_CONTROLS = frozenset("\t\n\r\f\v")
#: Candidate encodings this close in "chaos" (charset-normalizer's noise measure) are ties.
_CHAOS_MARGIN = 0.05
#: The legacy encodings most non-UTF-8 reports are written in, most common first.
_COMMON_ENCODINGS = ("cp1252", "cp1256", "cp1251", "cp1254", "cp1250", "cp1253", "cp1255")
#: UTF-16 without a byte order mark: in Latin-script text nearly every other byte is NUL.
_UTF16_ZERO_SHARE = 0.4
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
#: Characters that would change how a line reads on a terminal: controls, format characters
#: (bidi overrides), line separators and surrogates.
_UNPRINTABLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_MAX_REASON_CHARS = 300


def detect_encoding(sample: bytes, origin: str, *, complete: bool = True) -> str:
    """The encoding to read `sample` (the whole data, or its start when not `complete`)."""
    for bom, encoding in _BOMS:
        if sample.startswith(bom):
            return encoding
    if not sample.strip():
        raise InputError(f"{origin}: empty file, there is no text to read")
    utf16 = _utf16_without_bom(sample[:_BINARY_SAMPLE_CHARS])
    if utf16 is not None:
        return utf16
    # A stray NUL is not binary data: the share of control characters decides (check_is_text).
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=complete)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = list(from_bytes(sample))
    if not candidates:
        return "utf-8"
    # Sister code pages (cp1252, cp1257, mac_latin2...) read most Western text with nearly
    # the same noise; among such ties the common Windows code page is far likelier.
    least_chaos = min(candidate.chaos for candidate in candidates)
    plausible = [c.encoding for c in candidates if c.chaos <= least_chaos + _CHAOS_MARGIN]
    common = [encoding for encoding in _COMMON_ENCODINGS if encoding in plausible]
    return common[0] if common else plausible[0]


def _utf16_without_bom(sample: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" when the zero bytes fall on one side only, else None."""
    even, odd = sample[0::2], sample[1::2]
    if len(odd) < 8:
        return None
    even_zeros, odd_zeros = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_zeros >= _UTF16_ZERO_SHARE and even_zeros < odd_zeros / 10:
        return "utf-16-le"
    if even_zeros >= _UTF16_ZERO_SHARE and odd_zeros < even_zeros / 10:
        return "utf-16-be"
    return None


def clean_text(text: str) -> str:
    """`text` without NUL characters and with lone surrogates replaced by U+FFFD.

    Both come from JSON escapes ("\\u0000", "\\ud800") or damaged files; neither can be
    encoded to UTF-8 or stored in PostgreSQL."""
    return _LONE_SURROGATE.sub("\ufffd", text.replace("\x00", ""))


def printable(text: str) -> str:
    """`text` with control, format and surrogate characters escaped (\\n, \\u202e...),
    so a file name cannot break a summary line, a terminal or the database."""
    return "".join(
        _ESCAPES.get(char, f"\\u{ord(char):04x}")
        if unicodedata.category(char) in _UNPRINTABLE_CATEGORIES
        else char
        for char in text
    )


def one_line(error: BaseException) -> str:
    """An exception as one short line: its type and the first words of its message."""
    message = " ".join(str(error).split())
    if len(message) > _MAX_REASON_CHARS:
        message = message[:_MAX_REASON_CHARS] + "..."
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def decode_text(data: bytes, origin: str) -> str:
    """The text of a whole document, or InputError when it is empty or binary."""
    text = data.decode(detect_encoding(data, origin), errors="replace")
    check_is_text(text, origin)
    return text


def check_is_text(text: str, origin: str) -> None:
    """Raise InputError when decoded text is mostly control or replacement characters."""
    sample = text[:_BINARY_SAMPLE_CHARS]
    odd = sum(
        1
        for char in sample
        if char == "\ufffd"
        or (unicodedata.category(char) == "Cc" and char not in _WHITESPACE_CONTROLS)
    )
    if sample and odd / len(sample) > _BINARY_SHARE:
        raise _binary(origin)


def _binary(origin: str) -> InputError:
    return InputError(
        f"{origin}: looks like binary data, not text; give sitrep .txt, .html, .json, .jsonl "
        "or .csv reports"
    )
