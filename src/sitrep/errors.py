"""Error types with stable codes, in the manner of spaCy's ``Errors``.

Expected failures (bad input, a missing store) are :class:`SitrepError`; the CLI turns them into
one-line messages. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations


class SitrepError(Exception):
    """An expected failure, with a short code such as ``E101``."""

    code = "E000"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        if code:
            self.code = code

    def __str__(self) -> str:
        return f"[{self.code}] {self.args[0]}"


class InputError(SitrepError):
    """One input could not be read as an English news article."""


# Codes for input failures; `sitrep failures` shows them, tests check them.
EMPTY = "E101"
BINARY = "E102"
UNDECODABLE = "E103"
TRUNCATED = "E104"
NO_TEXT = "E105"
NOT_ENGLISH = "E106"
NOT_FOUND = "E107"
BAD_RECORD = "E108"
FETCH_FAILED = "E109"  # connection error, timeout, or an HTTP error status (other than 404/410)
DUPLICATE_OF_FAILED = "E110"  # a duplicate whose first copy failed: retry extracts this copy
REFUSED = "E111"  # not an http(s) URL (file:, ftp:, data:, a relative link, ...)
TOO_LARGE = "E112"  # the response is larger than the size limit
