"""Feeds, fetching, WARC files and globs. Pages are served from 127.0.0.1 only; no other network."""

from __future__ import annotations

import gzip
import io
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sitrep import errors
from sitrep.sources import Article, Failure, iter_inputs
from sitrep.sources.fetch import FETCH_FAILED, REFUSED, TOO_LARGE, FetchConfig, FetchError, fetch

FAST = FetchConfig(timeout=0.3, total_timeout=2.0, max_bytes=50_000, tries=3, backoff=0.01)


def page(title: str, body: list[str], date: str | None = None) -> str:
    meta = f'<meta property="article:published_time" content="{date}T07:30:00Z">' if date else ""
    head = f"<title>{title} | Delta Courier</title><meta property=\"og:title\" content=\"{title}\">" if title else ""
    paras = "".join(f"<p>{p}</p>" for p in body)
    return (f"<!DOCTYPE html><html><head>{head}{meta}"
            f'<meta property="og:site_name" content="Delta Courier"></head>'
            f"<body><nav>Home | Weather</nav><article>{f'<h1>{title}</h1>' if title else ''}{paras}</article>"
            f"<footer>Subscribe to our newsletter</footer></body></html>")


SAVA = page("River Sava bursts its banks", [
    "At least 14 people were killed and about 2,300 were forced from their homes when the River Sava burst its "
    "banks on Sunday night, the regional civil protection office said on Monday.",
    "Rescue crews using boats evacuated more than 600 residents from the lower town, and the Red Cross said it "
    "had opened four shelters for those who could not stay with relatives.",
    "Officials warned that water levels could rise again by Wednesday if rain continued upstream.",
], date="2024-09-16")

DRAVA = page("", [
    "Flood water reached the first floor of the hospital in Osijek on Tuesday, forcing staff to move 85 "
    "patients to a school on higher ground, the hospital director told reporters.",
    "Some 1,200 households were without electricity across the district, according to the power company, "
    "which said repairs could take several days once the water receded.",
])

FLAKY = page("Dam operators release water as reservoirs fill", [
    "Operators of the Lika reservoir began a controlled release on Wednesday after water rose to within 40 "
    "centimetres of the crest, the national water agency said.",
    "Nearly 900 people living downstream were told to leave their homes as a precaution, and police closed "
    "three bridges over the river until further notice.",
], date="2024-09-18")


class Site:
    """Routes for the local server; ``hits`` counts requests per path, ``agents`` records User-Agents."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.agents: list[str] = []
        self.base = ""

    def feed(self) -> str:
        items = [
            ("River Sava bursts its banks", "/sava", "Mon, 16 Sep 2024 08:00:00 GMT"),
            ("Hospital evacuated as the Drava rises", "/drava", "Tue, 17 Sep 2024 09:15:00 GMT"),
            ("Dam release", "/flaky", "Wed, 18 Sep 2024 10:00:00 GMT"),
            ("Gone", "/missing", "Wed, 18 Sep 2024 11:00:00 GMT"),
            ("Huge", "/huge", "Wed, 18 Sep 2024 12:00:00 GMT"),
            ("Slow", "/slow", "Wed, 18 Sep 2024 13:00:00 GMT"),
        ]
        xml = "".join(f"<item><title>{t}</title><link>{self.base}{link}</link><pubDate>{d}</pubDate></item>"
                      for t, link, d in items)
        xml += "<item><title>Local file</title><link>file:///etc/passwd</link></item>"
        xml += "<item><title>FTP</title><link>ftp://127.0.0.1/floods.html</link></item>"
        xml += "<item><title>Script</title><link>javascript:alert(1)</link></item>"
        return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Delta Courier</title>'
                f"<link>{self.base}/</link><description>Floods</description>{xml}</channel></rss>")

    def atom(self) -> str:
        return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
                "<title>Delta Courier</title><id>urn:delta</id><updated>2024-09-17T09:00:00Z</updated>"
                "<entry><title>Hospital evacuated as the Drava rises</title><id>urn:drava</id>"
                '<link href="/drava"/><updated>2024-09-17T09:15:00Z</updated></entry></feed>')

    def respond(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path
        self.hits[path] += 1
        self.agents.append(handler.headers.get("User-Agent", ""))
        status, kind, body, extra = 200, "text/html; charset=utf-8", b"", {}
        if path == "/feed.rss":
            kind, body = "application/rss+xml", self.feed().encode()
        elif path == "/atom":
            kind, body = "application/atom+xml", self.atom().encode()
        elif path == "/sava":
            body = SAVA.encode()
        elif path == "/drava":
            body = DRAVA.encode()
        elif path == "/flaky":
            status, body = (500, b"oops") if self.hits[path] == 1 else (200, FLAKY.encode())
        elif path == "/down":
            status, body = 503, b"down for maintenance"
        elif path == "/busy":
            status, body, extra = 429, b"slow down", {"Retry-After": "7"}
        elif path == "/huge":
            body = (SAVA[:-len("</body></html>")] + "<p>" + "water " * 20_000 + "</p></body></html>").encode()
        elif path == "/huge-stream":  # no Content-Length: the limit must stop the read itself
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html")
            handler.send_header("Connection", "close")
            handler.end_headers()
            for _ in range(40):
                handler.wfile.write(b"<p>" + b"flood " * 500 + b"</p>")
            return
        elif path == "/slow":
            time.sleep(1.5)
            body = SAVA.encode()
        elif path == "/image.png":
            kind, body = "image/png", b"\x89PNG\r\n\x1a\n" + bytes(200)
        elif path == "/to-file":
            status, extra = 302, {"Location": "file:///etc/passwd"}
        else:
            status, body = 404, b"not found"
        handler.send_response(status)
        handler.send_header("Content-Type", kind)
        handler.send_header("Content-Length", str(len(body)))
        for key, value in extra.items():
            handler.send_header(key, value)
        handler.end_headers()
        handler.wfile.write(body)


@pytest.fixture
def site(monkeypatch):
    for var in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            try:
                state.respond(self)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout or size limit), as the tests intend

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def by_id(items):
    return {(i.id if isinstance(i, Article) else i.input): i for i in items}


# --- feeds ---------------------------------------------------------------------------------------------


def test_rss_feed_from_url(site):
    stats: Counter[str] = Counter()
    start = time.monotonic()
    items = list(iter_inputs([site.base + "/feed.rss"], stats=stats, fetch=FAST))
    assert time.monotonic() - start < 8
    got = by_id(items)
    assert len(items) == 9, items

    sava = got[site.base + "/sava"]
    assert isinstance(sava, Article)
    assert sava.title == "River Sava bursts its banks" and sava.published == "2024-09-16"  # the page's own
    assert sava.outlet == "Delta Courier" and "At least 14 people were killed" in sava.text
    assert "newsletter" not in sava.text and sava.layout == "body"

    drava = got[site.base + "/drava"]  # no title or date on the page: the feed item's fill them
    assert isinstance(drava, Article), drava
    assert drava.title == "Hospital evacuated as the Drava rises" and drava.published == "2024-09-17"
    assert drava.url == site.base + "/drava"

    flaky = got[site.base + "/flaky"]  # 500, then 200: the retry succeeds
    assert isinstance(flaky, Article) and "Nearly 900 people" in flaky.text
    assert site.hits["/flaky"] == 2

    missing = got[site.base + "/missing"]  # 404: one failure, no retry
    assert isinstance(missing, Failure) and missing.code == errors.NOT_FOUND and "HTTP 404" in missing.reason
    assert missing.retry == site.base + "/missing" and site.hits["/missing"] == 1

    huge = got[site.base + "/huge"]
    assert isinstance(huge, Failure) and huge.code == TOO_LARGE and "too large" in huge.reason
    assert site.hits["/huge"] == 1  # a size failure is not retried

    slow = got[site.base + "/slow"]
    assert isinstance(slow, Failure) and slow.code == FETCH_FAILED and "timed out" in slow.reason

    refused = [i for i in items if isinstance(i, Failure) and i.input.startswith(("file:", "ftp:", "javascript:"))]
    assert len(refused) == 3
    for failure in refused:
        assert isinstance(failure, Failure) and failure.code == REFUSED and "only http and https" in failure.reason

    for failure in (i for i in items if isinstance(i, Failure)):  # one line, naming the URL
        line = str(failure)
        assert "\n" not in line and "Traceback" not in line and line.startswith(failure.input)

    assert stats["feed.items"] == 9 and stats["fetch.urls"] == 10 and stats["fetch.failed"] == 6
    assert all(agent.startswith("sitrep/") for agent in site.agents)


def test_atom_feed_and_relative_links(site):
    items = list(iter_inputs([site.base + "/atom"], fetch=FAST))
    assert [type(i).__name__ for i in items] == ["Article"]
    assert items[0].id == site.base + "/drava" and items[0].published == "2024-09-17"


def test_feed_file(site, tmp_path):
    path = tmp_path / "courier.xml"
    path.write_text(site.feed(), encoding="utf-8")
    notfeed = tmp_path / "broken.rss"
    notfeed.write_text("<html><body>not a feed</body></html>", encoding="utf-8")
    items = list(iter_inputs([str(path), str(notfeed)], fetch=FAST))
    assert isinstance(by_id(items)[site.base + "/sava"], Article)
    assert isinstance(items[-1], Failure) and items[-1].input == str(notfeed)
    assert items[-1].code == errors.BAD_RECORD and "not an RSS or Atom feed" in items[-1].reason


def test_plain_url_is_one_page(site):
    items = list(iter_inputs([site.base + "/sava", site.base + "/image.png", site.base + "/to-file"], fetch=FAST))
    assert isinstance(items[0], Article) and items[0].id == site.base + "/sava"
    assert isinstance(items[1], Failure) and "image/png" in items[1].reason
    assert isinstance(items[2], Failure) and items[2].code == REFUSED
    assert items[2].reason == "redirected to file:///etc/passwd, refused: only http and https URLs are fetched, " \
                              "not scheme 'file:'"
    assert items[2].input == site.base + "/to-file"


def test_non_http_inputs_are_refused():
    for url in ("file:///etc/passwd", "ftp://example.org/a.html", "gopher://example.org/"):
        (failure,) = iter_inputs([url])
        assert isinstance(failure, Failure) and failure.code == REFUSED and failure.input == url


def test_backoff_retry_after_and_no_retry_on_4xx(site):
    waits: list[float] = []
    config = FetchConfig(timeout=1, tries=3, backoff=0.5)
    with pytest.raises(FetchError) as down:
        fetch(site.base + "/down", config, sleep=waits.append)
    assert waits == [0.5, 1.0] and site.hits["/down"] == 3
    assert "HTTP 503" in down.value.reason and "3 tries" in down.value.reason

    waits.clear()
    with pytest.raises(FetchError):
        fetch(site.base + "/busy", FetchConfig(timeout=1, tries=2), sleep=waits.append)
    assert waits == [7.0]  # the server's Retry-After

    waits.clear()
    with pytest.raises(FetchError) as gone:
        fetch(site.base + "/nowhere", config, sleep=waits.append)
    assert waits == [] and gone.value.code == errors.NOT_FOUND and site.hits["/nowhere"] == 1


def test_size_limit_without_content_length(site):
    with pytest.raises(FetchError) as big:
        fetch(site.base + "/huge-stream", FetchConfig(timeout=1, max_bytes=20_000, tries=1))
    assert big.value.code == TOO_LARGE and "stopped reading" in big.value.reason


def test_connection_refused_is_retried_then_fails():
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    waits: list[float] = []
    with pytest.raises(FetchError) as refused:
        fetch(f"http://127.0.0.1:{port}/", FetchConfig(timeout=1, tries=2, backoff=0.01), sleep=waits.append)
    assert refused.value.code == FETCH_FAILED and "connection failed" in refused.value.reason
    assert waits == [0.01]


# --- WARC ----------------------------------------------------------------------------------------------


def write_warc(path, gz: bool = True):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    def response(uri, kind, body, date, status="200 OK"):
        headers = StatusAndHeaders(status, [("Content-Type", kind), ("Content-Length", str(len(body)))],
                                   protocol="HTTP/1.1")
        return writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers,
                                         warc_headers_dict={"WARC-Date": date})

    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gz)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "sitrep tests"}))
        request = StatusAndHeaders("GET /sava HTTP/1.1", [("Host", "news.example.org")], is_http_request=True)
        writer.write_record(writer.create_warc_record("https://news.example.org/sava", "request",
                                                      http_headers=request))
        writer.write_record(response("https://news.example.org/sava", "text/html; charset=utf-8", SAVA.encode(),
                                     "2024-09-20T05:00:00Z"))
        writer.write_record(response("https://news.example.org/logo.png", "image/png",
                                     b"\x89PNG\r\n\x1a\n" + bytes(64), "2024-09-20T05:00:01Z"))
        writer.write_record(response("https://news.example.org/drava", "text/html", DRAVA.encode("cp1252"),
                                     "2024-09-17T12:00:00Z"))
        writer.write_record(response("https://news.example.org/moved", "text/html", b"<html>moved</html>",
                                     "2024-09-17T12:00:00Z", status="301 Moved Permanently"))
        writer.write_record(response("https://news.example.org/empty", "text/html",
                                     b'<html><body><img src="flood.jpg"></body></html>', "2024-09-17T12:00:00Z"))


@pytest.mark.parametrize("name", ["cc-news.warc.gz", "cc-news.warc"])
def test_warc(tmp_path, name):
    path = tmp_path / name
    write_warc(path, gz=name.endswith(".gz"))
    stats: Counter[str] = Counter()
    items = list(iter_inputs([str(path)], stats=stats))
    got = by_id(items)
    assert len(items) == 3, items

    sava = got["https://news.example.org/sava"]
    assert isinstance(sava, Article) and sava.published == "2024-09-16"  # the page's own date wins
    assert sava.title == "River Sava bursts its banks" and sava.url == "https://news.example.org/sava"
    assert sava.extra["retry"].startswith(f"{path}@")

    drava = got["https://news.example.org/drava"]  # no date on the page: the WARC-Date
    assert isinstance(drava, Article) and drava.published == "2024-09-17" and "Osijek" in drava.text

    empty = got["https://news.example.org/empty"]
    assert isinstance(empty, Failure) and empty.code == errors.NO_TEXT and empty.retry.startswith(f"{path}@")

    assert stats == Counter({"warc.records": 7, "warc.html": 3, "warc.skipped.not_response": 2,
                             "warc.skipped.not_html": 1, "warc.skipped.status": 1})

    # a failure's retry reads just that record again; so does an article's
    (again,) = iter_inputs([empty.retry])
    assert isinstance(again, Failure) and again.input == empty.input and again.retry == empty.retry
    (again,) = iter_inputs([sava.extra["retry"]])
    assert isinstance(again, Article) and again.id == sava.id


def test_broken_warc(tmp_path):
    for name in ("cut.warc.gz", "cut.warc"):
        path = tmp_path / name
        write_warc(path, gz=name.endswith(".gz"))
        data = path.read_bytes()
        for end in (len(data) * 2 // 3, len(data) // 2, len(data) - 20):
            path.write_bytes(data[:end])
            items = list(iter_inputs([str(path)]))
            assert isinstance(items[-1], Failure) and items[-1].input == str(path), (name, end, items)
            assert items[-1].code in (errors.TRUNCATED, errors.BAD_RECORD) and "\n" not in str(items[-1])

    junk = tmp_path / "junk.warc.gz"
    junk.write_bytes(gzip.compress(b"this is not a WARC file at all\n" * 10))
    (failure,) = iter_inputs([str(junk)])
    assert isinstance(failure, Failure) and failure.code == errors.BAD_RECORD and "\n" not in str(failure)


def test_directories_pick_up_warcs_and_feeds(tmp_path):
    (tmp_path / "crawl").mkdir()
    write_warc(tmp_path / "crawl" / "a.warc.gz")
    (tmp_path / "notes.xml").write_text("<notes/>", encoding="utf-8")
    from sitrep.sources.dispatch import expand

    assert list(expand([str(tmp_path)])) == [str(tmp_path / "crawl" / "a.warc.gz")]


# --- globs ---------------------------------------------------------------------------------------------


def test_globs(tmp_path):
    for rel in ("2024/09/a.html", "2024/10/b.html", "c.html", "2024/09/notes.txt"):
        target = tmp_path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(SAVA if rel.endswith(".html") else "Floods in Beira\nStandfirst\nText.\n",
                          encoding="utf-8")
    from sitrep.sources.dispatch import expand

    assert list(expand([f"{tmp_path}/**/*.html"])) == [str(tmp_path / p) for p in
                                                        ("2024/09/a.html", "2024/10/b.html", "c.html")]
    assert list(expand([f"{tmp_path}/2024/*"])) == [str(tmp_path / p) for p in
                                                    ("2024/09/a.html", "2024/09/notes.txt", "2024/10/b.html")]
    items = list(iter_inputs([f"{tmp_path}/202?/[01]*/*.html", f"{tmp_path}/*.pdf"]))
    assert [type(i).__name__ for i in items] == ["Article", "Article", "Failure"]
    assert items[2].code == errors.NOT_FOUND and items[2].reason == "no file matches this pattern"

    literal = tmp_path / "report[1].html"  # a file whose name looks like a pattern is read as itself
    literal.write_text(SAVA, encoding="utf-8")
    assert list(expand([str(literal)])) == [str(literal)]
