"""Fetch one http(s) URL, politely and within limits (standard library only).

* only ``http`` and ``https`` (also after redirects); ``file:``, ``ftp:`` and the rest are refused;
* a timeout on connecting and on every read (``timeout``) and on the whole response (``total_timeout``);
* a size limit (``max_bytes``): a larger response is not read further and fails;
* a User-Agent naming sitrep and its version;
* retries with exponential backoff on connection errors, timeouts, 5xx and 429 (honouring a short
  ``Retry-After``); never on other 4xx.

Every failure is a :class:`FetchError` (an :class:`~sitrep.errors.InputError`) whose message is one
line naming the URL; readers turn it into a :class:`~sitrep.sources.base.Failure`.
"""

from __future__ import annotations

import re
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from http.client import HTTPException
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from sitrep import errors
from sitrep.errors import FETCH_FAILED, REFUSED, TOO_LARGE, InputError

# HTTP 404 and 410 reuse errors.NOT_FOUND.

SCHEMES = ("http", "https")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_CHUNK = 64 * 1024


def is_url(name: str) -> bool:
    """``scheme://...``: an input that names a URL rather than a path (any scheme; fetch refuses most)."""
    return bool(_URL.match(name))


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("sitrep")
    except Exception:  # not installed as a distribution (a bare checkout on sys.path)
        return "0"


@dataclass(frozen=True)
class FetchConfig:
    """Limits for fetching. The defaults suit a batch over the open web; tests shrink them."""

    timeout: float = 15.0  # seconds, to connect and for each read
    total_timeout: float = 60.0  # seconds for a whole response, so a trickling server cannot hold us
    max_bytes: int = 5_000_000  # a response beyond this is not read further and fails
    tries: int = 3  # attempts in all (1 = no retry)
    backoff: float = 0.5  # seconds before the second attempt; doubles each attempt
    max_backoff: float = 30.0  # cap on one wait, including a server's Retry-After
    user_agent: str = ""  # default: "sitrep/<version> (source-attributed facts from crisis news)"

    def agent(self) -> str:
        return self.user_agent or f"sitrep/{_version()} (source-attributed facts from crisis news)"


DEFAULT = FetchConfig()


class FetchError(InputError):
    """A URL could not be fetched; ``retryable`` says whether another attempt might succeed."""

    def __init__(self, url: str, reason: str, code: str, retryable: bool = False,
                 wait: float | None = None) -> None:
        super().__init__(f"{url}: {reason}", code)
        self.url = url
        self.reason = reason
        self.retryable = retryable
        self.wait = wait  # seconds the server asked us to wait (Retry-After), if any


@dataclass
class Response:
    url: str  # the final URL, after redirects
    data: bytes
    content_type: str  # media type, lower case, without parameters ("" when the server sent none)
    charset: str | None  # from the Content-Type header


def check_url(url: str) -> None:
    """Raise :class:`FetchError` (REFUSED) unless ``url`` is an absolute http(s) URL with a host."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        what = f"scheme '{scheme}:'" if scheme else "a relative link"
        raise FetchError(url, f"refused: only http and https URLs are fetched, not {what}", REFUSED)
    if not parts.hostname:
        raise FetchError(url, "refused: the URL has no host", REFUSED)


class _RedirectRefused(Exception):
    def __init__(self, target: str, reason: str) -> None:
        super().__init__(target)
        self.target = target
        self.reason = reason


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to http(s) URLs."""

    def http_error_302(self, req, fp, code, msg, headers):  # type: ignore[no-untyped-def]
        location = headers.get("location") or headers.get("uri")
        if location:
            target = urljoin(req.full_url, location.strip())
            try:
                check_url(target)
            except FetchError as exc:
                fp.close()
                raise _RedirectRefused(target, exc.reason) from None
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _opener() -> urllib.request.OpenerDirector:
    # Only the handlers we need: no file:, ftp: or data: handlers at all.
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler(), urllib.request.HTTPHandler(), urllib.request.HTTPSHandler(),
                    urllib.request.HTTPDefaultErrorHandler(), _Redirects(), urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    return opener


def _retry_after(headers: Message | None, cap: float) -> float | None:
    value = headers.get("Retry-After") if headers is not None else None
    if value and value.strip().isdigit():
        return min(float(value.strip()), cap)
    return None


def _describe(exc: BaseException) -> str:
    text = getattr(exc, "strerror", None) or getattr(exc, "reason", None) or str(exc) or type(exc).__name__
    return " ".join(str(text).split())  # one line


def _ascii_url(url: str) -> str:
    """Links in feeds may be IRIs: an IDNA host and percent-encoded path and query, as browsers send."""
    if url.isascii():
        return url
    parts = urlsplit(url)
    netloc = parts.netloc
    if parts.hostname and not parts.hostname.isascii():
        netloc = netloc.replace(parts.hostname, parts.hostname.encode("idna").decode("ascii"))
    safe = "/:@!$&'()*+,;=%~-._"
    return urlunsplit((parts.scheme, netloc, quote(parts.path, safe=safe), quote(parts.query, safe=safe + "?"),
                       quote(parts.fragment, safe=safe + "?")))


def _read(url: str, config: FetchConfig) -> Response:
    """One attempt. Raises FetchError; ``retryable`` marks what another attempt might fix."""
    try:
        request = urllib.request.Request(_ascii_url(url), headers={
            "User-Agent": config.agent(),
            "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
                      "application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5",
            "Accept-Encoding": "identity",
        })
        with _opener().open(request, timeout=config.timeout) as resp:
            length = resp.headers.get("Content-Length")
            if length and length.strip().isdigit() and int(length) > config.max_bytes:
                raise FetchError(url, f"response too large ({int(length):,} bytes; the limit is "
                                      f"{config.max_bytes:,})", TOO_LARGE)
            deadline = time.monotonic() + config.total_timeout
            chunks: list[bytes] = []
            size = 0
            while True:
                chunk = resp.read(min(_CHUNK, config.max_bytes + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
                if size > config.max_bytes:
                    raise FetchError(url, f"response too large (more than the limit of {config.max_bytes:,} "
                                          "bytes; stopped reading)", TOO_LARGE)
                if time.monotonic() > deadline:
                    raise FetchError(url, f"timed out reading the response (over {config.total_timeout:g} s)",
                                     FETCH_FAILED, retryable=True)
            message = resp.headers
            return Response(resp.geturl() or url, b"".join(chunks),
                            (message.get_content_type() if message.get("Content-Type") else "").lower(),
                            message.get_content_charset())
    except FetchError:
        raise
    except _RedirectRefused as exc:
        raise FetchError(url, f"redirected to {exc.target}, {exc.reason}", REFUSED) from None
    except urllib.error.HTTPError as exc:
        status = exc.code
        phrase = " ".join(str(exc.reason or "").split())
        what = f"HTTP {status} {phrase}".strip()
        exc.close()
        if status in (404, 410):
            raise FetchError(url, what, errors.NOT_FOUND) from None
        raise FetchError(url, what, FETCH_FAILED, retryable=status >= 500 or status == 429,
                         wait=_retry_after(exc.headers, config.max_backoff)) from None
    except (urllib.error.URLError, HTTPException, OSError) as exc:
        # URLError carries connection failures; a timeout during a read surfaces as TimeoutError.
        cause = exc.reason if isinstance(getattr(exc, "reason", None), BaseException) else exc
        if isinstance(cause, TimeoutError):
            raise FetchError(url, f"timed out (no response within {config.timeout:g} s)", FETCH_FAILED,
                             retryable=True) from None
        if isinstance(cause, ssl.SSLCertVerificationError):  # not transient
            raise FetchError(url, f"TLS certificate not trusted ({_describe(cause)})", FETCH_FAILED) from None
        raise FetchError(url, f"connection failed ({_describe(cause)})", FETCH_FAILED, retryable=True) from None
    except (ValueError, UnicodeError) as exc:  # a malformed URL (bad port, bad host name, ...)
        raise FetchError(url, f"invalid URL ({_describe(exc)})", REFUSED) from None


def fetch(url: str, config: FetchConfig | None = None, *,
          sleep: Callable[[float], None] = time.sleep) -> Response:
    """GET ``url`` within ``config``'s limits, retrying what may be transient. Raises :class:`FetchError`."""
    config = config or DEFAULT
    check_url(url)
    tries = max(1, config.tries)
    for attempt in range(1, tries + 1):
        try:
            return _read(url, config)
        except FetchError as exc:
            if not exc.retryable or attempt == tries:
                if attempt > 1:
                    raise FetchError(url, f"{exc.reason}; gave up after {attempt} tries", exc.code) from None
                raise
            sleep(exc.wait if exc.wait is not None else min(config.backoff * 2 ** (attempt - 1), config.max_backoff))
    raise AssertionError("unreachable")
