"""Bytes to text: UTF-8 first, then the encoding charset-normalizer detects, else replacement.

Binary data (images, archives, office files) is refused rather than decoded into noise.
"""

from __future__ import annotations

import codecs
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


def detect_encoding(sample: bytes, origin: str, *, complete: bool = True) -> str:
    """The encoding to read `sample` (the whole data, or its start when not `complete`)."""
    for bom, encoding in _BOMS:
        if sample.startswith(bom):
            return encoding
    if not sample.strip():
        raise InputError(f"{origin}: empty file, there is no text to read")
    if b"\x00" in sample[:_BINARY_SAMPLE_CHARS]:
        raise _binary(origin)
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
