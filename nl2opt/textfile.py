"""Reading a user's text file (a spec, a problem in words) with a message for every way it fails.

Editors save "UTF-8" with a byte-order mark, Windows tools save UTF-16, and people pass
a directory or a binary file by mistake. Each of those gets a sentence that names the
file and says what to do, instead of a ``UnicodeDecodeError`` deep inside a parser.
Text with a BOM (UTF-8, UTF-16, UTF-32) is decoded by it; text without one must be UTF-8.
"""

from __future__ import annotations

import codecs
from pathlib import Path

__all__ = ["decode_text", "read_text"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
"""Byte-order marks, longest first (the UTF-32 LE mark begins with the UTF-16 LE one)."""

_SNIFF = 8192
"""Bytes looked at for a NUL, the mark of a binary file."""


def read_text(path: Path | str, *, what: str = "file") -> tuple[str | None, str]:
    """The text of ``path``, or None and a message naming the file and what to do.

    ``what`` names the file in messages ("spec file", "problem file").
    """
    path = Path(path)
    try:
        if path.is_dir():
            return None, f"{path} is a directory, not a {what}; give the path of the {what} itself"
        data = path.read_bytes()
    except FileNotFoundError:
        return None, f"no such file: {path} (the {what} was not found)"
    except OSError as exc:
        return None, f"cannot read the {what} {path}: {exc.strerror or exc}"
    return decode_text(data, f"{what} {path}")


def decode_text(data: bytes, name: str = "the input") -> tuple[str | None, str]:
    """``data`` as text (BOM-aware, else strict UTF-8), or None and a message about ``name``."""
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), ""
            except UnicodeDecodeError as exc:
                return (
                    None,
                    f"{name} starts with a {label} byte-order mark but is not valid {label} ({exc.reason}); save it again as UTF-8",
                )
    if b"\x00" in data[:_SNIFF]:
        return (
            None,
            f"{name} looks like a binary file (it contains NUL bytes), not text; give a UTF-8 text file",
        )
    try:
        return data.decode("utf-8"), ""
    except UnicodeDecodeError as exc:
        byte = data[exc.start : exc.start + 1].hex()
        return None, f"{name} is not UTF-8 text (byte 0x{byte} at offset {exc.start}); save it as UTF-8"
