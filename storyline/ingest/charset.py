"""Bytes of a web page → text: the HTTP header's charset, then the page's own
``<meta charset>``, then a detector (charset-normalizer), as browsers do.

A declaration is only believed when the bytes decode under it. Single-byte
charsets (latin-1, windows-1252, …) decode any bytes, so a page declared as
one of them that is valid UTF-8 with multi-byte characters is read as UTF-8:
such byte sequences are all but impossible in real single-byte text, and the
mislabelled UTF-8 page is the commonest lie on the web.
"""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# The WHATWG encoding standard reads these labels as windows-1252.
_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252"}


def meta_charset(data: bytes) -> str | None:
    """The charset a page declares in its first 4 KB (``<meta charset>`` or http-equiv)."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii", "replace") if match else None


def _codec(label: str | None) -> codecs.CodecInfo | None:
    if not label:
        return None
    label = label.strip().strip("'\"").lower()
    try:
        return codecs.lookup(_ALIASES.get(label, label))
    except LookupError:
        return None


def _is_utf8_with_multibyte(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return any(b >= 0x80 for b in data)


def decode_html(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode a page; returns ``(text, encoding used)``.

    ``declared`` is the charset of the Content-Type header, if any.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(name, errors="replace"), name
    for label in (declared, meta_charset(data)):
        codec = _codec(label)
        if codec is None:
            continue
        if codec.name != "utf-8" and _single_byte(codec) and _is_utf8_with_multibyte(data):
            return data.decode("utf-8"), "utf-8"
        try:
            return data.decode(codec.name), codec.name
        except (UnicodeDecodeError, LookupError):
            continue  # the declaration lies: try the next source
    if _is_utf8_with_multibyte(data) or not any(b >= 0x80 for b in data):
        return data.decode("utf-8"), "utf-8"
    from charset_normalizer import from_bytes

    results = from_bytes(data)
    best = results.best()
    if best is not None:
        # Single-byte charsets often tie (é reads the same in cp1250 and cp1252): the web's
        # default legacy charset, windows-1252, breaks the tie.
        tied = [m for m in results if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
        best = next((m for m in tied if m.encoding == "cp1252"), best)
        return str(best), best.encoding
    return data.decode("utf-8", errors="replace"), "utf-8"


def _single_byte(codec: codecs.CodecInfo) -> bool:
    """True for charsets in which (almost) every byte is a character on its own: then
    any bytes decode, and a successful decoding proves nothing."""
    alone = 0
    for byte in range(0x80, 0x100):
        try:
            bytes([byte]).decode(codec.name)
            alone += 1
        except UnicodeDecodeError:
            pass
    return alone >= 100
