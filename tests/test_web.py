"""The read-only JSON API over a store of the bundled example articles plus articles written to attack the
page, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from test_store import location  # noqa: F401 - the SQLite / PostgreSQL fixture

from sitrep.store import open_store

from conftest import EXAMPLES

fastapi = pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from sitrep.web.app import MAX_LIMIT, create_app  # noqa: E402

# Articles whose every field carries a script payload (written for these tests).
HOSTILE = [
    {"id": "hostile-1", "published": "2025-06-02", "url": "javascript:window.__pwned=1",
     "title": "<script>window.__pwned=1</script>Clashes in Kismayo",
     "text": "<img src=x onerror=\"window.__pwned=1\"> Fighting between government forces and al-Shabaab "
             "fighters in Kismayo killed 12 people on Sunday, police said.\n\n"
             "\"<script>window.__pwned=1</script>\" said a resident, Ahmed Yusuf, who fled to Mogadishu."},
    {"id": "hostile-2", "published": "2025-06-03", "url": "https://example.org/<svg onload=window.__pwned=1>",
     "title": "Floods in Beledweyne <svg/onload=window.__pwned=1>",
     "text": "Floods displaced 4,000 families <a href=\"javascript:window.__pwned=1\">click</a> in Beledweyne "
             "on Monday, the regional governor said. <iframe src=javascript:window.__pwned=1></iframe>"},
]


@pytest.fixture(scope="module")
def results(extract_text):
    out = []
    for path in sorted(EXAMPLES.glob("*.txt")):
        out.append(extract_text(path.read_text(encoding="utf-8"), id=path.stem, published=path.stem[:10]))
    for a in HOSTILE:
        r = extract_text(a["text"], id=a["id"], title=a["title"], published=a["published"])
        r["article"]["url"] = a["url"]
        out.append(r)
    return out


@pytest.fixture
def client(location, results):  # noqa: F811
    store = open_store(location)
    store.add_many([(r, None, None) for r in results])
    store.close()
    return TestClient(create_app(location))


def test_every_endpoint_is_a_get(client):
    spec = client.get("/openapi.json").json()
    methods = {m for path in spec["paths"].values() for m in path}
    assert methods == {"get"}
    assert {"/api/articles", "/api/articles/{article_id}", "/api/figures", "/api/figures/reconciled",
            "/api/quotes", "/api/events", "/api/places", "/api/actors", "/api/stories",
            "/api/search"} <= set(spec["paths"])
    assert client.post("/api/articles").status_code == 405


def test_lists_page_and_sort(client):
    first = client.get("/api/figures", params={"limit": 5, "sort": "-id"}).json()
    assert len(first["items"]) == 5 and first["next_offset"] == 5
    ids = [f["id"] for f in first["items"]]
    assert ids == sorted(ids, reverse=True)
    second = client.get("/api/figures", params={"limit": 5, "offset": 5, "sort": "-id"}).json()
    assert not {f["id"] for f in second["items"]} & set(ids)
    assert max(f["id"] for f in second["items"]) < min(ids)
    assert client.get("/api/figures", params={"limit": MAX_LIMIT + 1}).status_code == 422
    bad = client.get("/api/figures", params={"sort": "id; DROP TABLE figures"})
    assert bad.status_code == 422 and "sort must be one of" in bad.json()["error"]
    assert client.get("/api/figures", params={"limit": 1}).json()["items"]  # the table is still there


def test_filters(client):
    killed = client.get("/api/figures", params={"category": "killed", "limit": 200}).json()["items"]
    assert killed and {f["category"] for f in killed} == {"killed"}
    protests = client.get("/api/events", params={"type": "Protests"}).json()["items"]
    assert protests and {e["type"] for e in protests} == {"Protests"}
    assert all(e["article_id"] for e in protests)
    places = client.get("/api/places", params={"place": "Goma"}).json()["items"]
    assert places and all("goma" in p["name"].lower() for p in places)
    stories = client.get("/api/stories", params={"sort": "-articles"}).json()["items"]
    assert stories[0]["articles"] >= 2


def test_search_articles_and_facts(client):
    out = client.get("/api/search", params={"q": "Maiduguri floods"}).json()
    titles = [a["input_id"] for a in out["articles"]["items"]]
    assert any("maiduguri" in t for t in titles)
    hit = out["articles"]["items"][0]
    assert out["mark_start"] in hit["snippet"] and out["mark_end"] in hit["snippet"]
    assert "<" not in out["mark_start"] + out["mark_end"]
    assert client.get("/api/search", params={"q": "x" * 201}).status_code == 422
    facts = client.get("/api/search", params={"q": "displaced"}).json()
    assert facts["figures"] and all("displaced" in f["sentence"].lower() for f in facts["figures"])
    # FTS syntax in a query is read as words, not as operators
    assert client.get("/api/search", params={"q": 'NEAR("a" b) OR * AND -'}).status_code == 200


def test_article_and_reconciled(client):
    items = client.get("/api/articles", params={"limit": 200}).json()["items"]
    flood = next(a for a in items if a["input_id"] == "hostile-2")
    article = client.get(f"/api/articles/{flood['id']}").json()
    assert article["text"].startswith("Floods displaced") and article["extraction"]["figures"]
    assert client.get("/api/articles/999999").status_code == 404
    groups = client.get("/api/figures/reconciled", params={"place": "Maiduguri"}).json()["groups"]
    assert groups and all(g["place"] == "Maiduguri" for g in groups)
    est = groups[0]["estimates"][0]
    assert est["article_id"] and est["start"] is not None


def test_headers_forbid_scripts_framing_and_cors(client):
    page = client.get("/", headers={"Origin": "https://evil.example"})
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    api = client.get("/api/articles", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in api.headers
    pre = client.options("/api/articles", headers={"Origin": "https://evil.example",
                                                    "Access-Control-Request-Method": "GET"})
    assert "access-control-allow-origin" not in pre.headers


def test_server_connections_are_read_only(location, results):  # noqa: F811
    from sitrep.web.app import _Stores

    open_store(location).close()
    store = _Stores(location).get()
    with pytest.raises(Exception, match="(?i)readonly|read-only|query_only|read only"):
        store.db.run("DELETE FROM articles")


def test_search_pages(client):
    """Pages of search results hold at most `limit` articles and follow one another."""
    first = client.get("/api/search", params={"q": "killed", "limit": 2}).json()["articles"]
    second = client.get("/api/search", params={"q": "killed", "limit": 2, "offset": 2}).json()["articles"]
    assert len(first["items"]) == 2 and first["next_offset"] == 2
    assert [a["rank"] for a in first["items"]] == [1, 2] and second["items"][0]["rank"] == 3
    assert not {a["id"] for a in first["items"]} & {a["id"] for a in second["items"]}
