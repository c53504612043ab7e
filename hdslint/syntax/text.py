"""Reading scanned files as text, refusing what is not text with a reason."""
from __future__ import annotations

import codecs
import os
import stat

from hdslint.i18n import Text, _

DEFAULT_MAX_BYTES = 5 * 1024 * 1024


class Unreadable(Exception):
    """The file cannot be read as text; message says why (for a parse finding)."""

    def __init__(self, message: Text, line: int = 1) -> None:
        super().__init__(message)
        self.message, self.line = message, line


def read_text(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            # a FIFO or device would block or never end: never open one
            raise Unreadable(_("is not a regular file (a pipe, socket or device): not read"))
        size = st.st_size
        if size > max_bytes:
            raise Unreadable(_("is {size:,} bytes, above the {limit:,}-byte limit (max_file_size)", size=size,
                                limit=max_bytes))
        with open(path, "rb") as f:
            raw = f.read(max_bytes + 1)
    except OSError as e:
        raise Unreadable(_("cannot be read: {reason}", reason=e.strerror or e)) from None
    return decode(raw)


def decode(raw: bytes) -> str:
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[3:]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise Unreadable(_("starts with a UTF-16 byte-order mark but is not valid UTF-16")) from None
    if b"\x00" in raw[:8192]:
        raise Unreadable(_("is a binary file (it contains NUL bytes), not text"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise Unreadable(_("is not valid UTF-8 (byte 0x{byte:02x} on line {line})", byte=raw[e.start], line=line),
                         line) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    return text


def relative(path: str, start: str) -> str:
    """os.path.relpath(path, start), without its cost when path is inside start (every file a
    scan meets): relpath splits both paths into parts on every call."""
    full, base = os.path.abspath(path), os.path.abspath(start)
    if full == base:
        return os.curdir
    prefix = base if base.endswith(os.sep) else base + os.sep
    if full.startswith(prefix):
        return full[len(prefix):]
    return os.path.relpath(full, base)
