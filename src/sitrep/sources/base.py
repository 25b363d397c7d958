"""The article record every reader produces, and the checks every input passes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sitrep import errors
from sitrep.errors import InputError
from sitrep.textutil import normalize_newlines


@dataclass
class Article:
    """One article as read. ``text`` is what every offset points into."""

    id: str
    text: str
    title: str | None = None
    subtitle: str | None = None
    published: str | None = None
    url: str | None = None
    outlet: str | None = None
    # "plain": line 1 headline, line 2 standfirst, then paragraphs (the example layout);
    # "body": the text is body paragraphs only (HTML, JSONL with a separate title).
    layout: str = "plain"
    extra: dict[str, object] = field(default_factory=dict)


@dataclass
class Failure:
    """An input that could not be read, with a reason fit for one line."""

    input: str
    code: str
    reason: str
    retry: str | None = None  # how to read it again (a path, or path#line)

    def __str__(self) -> str:
        return f"{self.input}: {self.reason} [{self.code}]"


Item = Article | Failure

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
_DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})")


def decode(data: bytes, name: str) -> str:
    """Bytes to text, refusing empty, binary and non-UTF-8 input with a clear reason."""
    if not data.strip():
        raise InputError(f"{name}: empty input", errors.EMPTY)
    head = data[:4096]
    if b"\x00" in head or len(_CONTROL.findall(head.decode("latin-1"))) > len(head) // 50 + 2:
        raise InputError(f"{name}: binary data, not text", errors.BINARY)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            errors.UNDECODABLE,
        ) from None
    return normalize_newlines(text)


def date_from_name(name: str) -> str | None:
    """``2024-03-05-floods.txt`` carries its publication date in its name."""
    stem = name.rsplit("/", 1)[-1]
    match = _DATE_PREFIX.match(stem)
    return match.group(1) if match else None


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)


def decode_web(data: bytes, name: str, charset: str | None = None) -> str:
    """Bytes of a web page to text: like :func:`decode`, but honouring a declared character set.

    ``charset`` comes from the HTTP ``Content-Type`` header; without one, a ``<meta charset>`` near the
    top of the page is used. Text that is valid UTF-8 is read as UTF-8 whatever it declares (pages often
    declare ISO-8859-1 and send UTF-8); otherwise the declared set is used (ISO-8859-1 and ASCII read as
    windows-1252, as browsers do). Undeclared text that is not UTF-8 fails as it does for files.
    """
    import codecs

    try:
        return decode(data, name)
    except InputError as exc:
        if exc.code != errors.UNDECODABLE:
            raise
        declared = charset
        if not declared:
            match = _META_CHARSET.search(data[:4096])
            declared = match.group(1).decode("ascii", "replace") if match else None
        try:
            codec = codecs.lookup(declared).name if declared else None
        except LookupError:
            codec = None
        if codec in (None, "utf-8", "utf-8-sig"):
            raise
        if codec in ("ascii", "iso8859-1", "latin-1"):
            codec = "cp1252"
        return normalize_newlines(data.decode(codec, errors="replace"))
