"""Readers and bad input: each failure names the input and the reason; the batch goes on."""

from __future__ import annotations

import json

from sitrep import errors
from sitrep.sources import Article, Failure, iter_inputs, read_bytes

GOOD = ("Floods displace thousands in Beira\nRescue teams search for survivors\n"
        "At least 12 people were killed and more than 3,000 displaced by floods in Beira on Monday, "
        "officials said.\n")


def only(items):
    items = list(items)
    assert len(items) == 1, items
    return items[0]


def test_plain_text_layout():
    art = only(read_bytes(GOOD.encode(), "2024-03-05-beira.txt"))
    assert isinstance(art, Article)
    assert art.title == "Floods displace thousands in Beira"
    assert art.subtitle == "Rescue teams search for survivors"
    assert art.published == "2024-03-05"  # from the file name
    assert art.text == GOOD


def test_crlf_is_normalized():
    art = only(read_bytes(GOOD.replace("\n", "\r\n").encode(), "a.txt"))
    assert art.text == GOOD


def test_empty():
    f = only(read_bytes(b"  \n\n", "empty.txt"))
    assert isinstance(f, Failure) and f.code == errors.EMPTY and f.input == "empty.txt"
    assert "empty" in str(f)


def test_binary():
    f = only(read_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "image.txt"))
    assert isinstance(f, Failure) and f.code == errors.BINARY


def test_undecodable():
    f = only(read_bytes("Caf\u00e9 attack kills 12 in the capital".encode("latin-1") * 3, "latin1.txt"))
    assert isinstance(f, Failure) and f.code == errors.UNDECODABLE and "UTF-8" in f.reason


HTML = """<!DOCTYPE html><html><head><title>Cholera spreads in Kassala | Example Wire</title>
<meta property="og:title" content="Cholera spreads in Kassala">
<meta property="og:site_name" content="Example Wire">
<meta property="article:published_time" content="2024-09-03T10:00:00Z">
<link rel="canonical" href="https://news.example.org/kassala-cholera"></head>
<body><nav>Home | World</nav><article><h1>Cholera spreads in Kassala</h1>
<p>Health officials in Kassala said on Tuesday that at least 43 people had died of cholera and more than 1,900
cases had been recorded since the start of August, as floods damaged wells across the state.</p>
<p>"We are seeing new patients every hour," said a doctor at the main hospital, who asked not to be named.
The World Health Organization said vaccine doses would arrive next week.</p>
</article><footer>Contact us</footer></body></html>"""


def test_html_metadata():
    art = only(read_bytes(HTML.encode(), "page.html"))
    assert isinstance(art, Article), art
    assert art.title == "Cholera spreads in Kassala"
    assert art.published == "2024-09-03"
    assert art.url == "https://news.example.org/kassala-cholera"
    assert art.outlet == "Example Wire"
    assert "at least 43 people had died" in art.text and "Contact us" not in art.text


def test_truncated_html():
    f = only(read_bytes(HTML[: len(HTML) // 2].encode(), "cut.html"))
    assert isinstance(f, Failure) and f.code == errors.TRUNCATED


def test_jsonl_fields_and_bad_records(tmp_path):
    good = {"id": "a1", "text": GOOD, "title": "Floods", "url": "https://x.example/a1", "published": "2024-03-05",
            "source": "Example Wire"}
    lines = [json.dumps(good), "{not json}", json.dumps({"title": "no text"}), json.dumps({"text": "x" * 40})[:25]]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    items = list(iter_inputs([str(path)]))
    assert isinstance(items[0], Article)
    assert (items[0].id, items[0].title, items[0].published, items[0].outlet) == ("a1", "Floods", "2024-03-05",
                                                                                  "Example Wire")
    assert [type(i).__name__ for i in items[1:]] == ["Failure"] * 3
    assert items[1].code == errors.BAD_RECORD and items[1].input.endswith("batch.jsonl:2")
    assert items[2].code == errors.BAD_RECORD
    assert items[3].code == errors.TRUNCATED and "truncated" in items[3].reason


def test_missing_file_and_directory(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"")
    items = list(iter_inputs([str(tmp_path), str(tmp_path / "nope.txt")]))
    assert [type(i).__name__ for i in items] == ["Article", "Failure", "Failure"]
    assert items[2].code == errors.NOT_FOUND


def test_non_english_is_rejected(extractor):
    french = ("Des inondations font des milliers de d\u00e9plac\u00e9s\nLes secours cherchent des survivants\n"
              "Au moins douze personnes ont \u00e9t\u00e9 tu\u00e9es et plus de trois mille d\u00e9plac\u00e9es par "
              "les inondations \u00e0 Beira lundi, selon les autorit\u00e9s locales qui craignent un bilan plus "
              "lourd.\n")
    items = list(extractor.run([Article("fr.txt", french), Article("en.txt", GOOD)]))
    assert isinstance(items[0], Failure) and items[0].code == errors.NOT_ENGLISH and "'fr'" in items[0].reason
    assert isinstance(items[1], dict) and items[1]["article"]["id"] == "en.txt"


def test_short_english_note_full_of_local_names_is_read(extractor):
    note = ("On 24 May 2022, Boko Haram JAS attacked Kouyape (Kolofata, Mayo-Sava, Extreme-Nord) killing 1 and "
            "wounding 3.")
    dutch = ("Op 3 januari werden in het dorp vijf mensen gedood door gewapende mannen. Het was de derde aanval "
             "in een week en de politie is op zoek naar de daders, die met een auto zijn gevlucht.")
    items = list(extractor.run([Article("note.txt", note, layout="body"), Article("nl.txt", dutch, layout="body")]))
    assert isinstance(items[0], dict), items[0]
    assert isinstance(items[1], Failure) and items[1].code == errors.NOT_ENGLISH


def test_dates_resolved(extract_text):
    text = ("Clashes in Goma\nStandfirst\nFighting broke out on Saturday and spread last week, officials said "
            "yesterday, after talks collapsed on March 3.\n")
    dates = {d["text"]: d["value"] for d in extract_text(text, published="2024-05-08")["dates"]}
    assert dates["Saturday"] == "2024-05-04"
    assert dates["last week"] == "2024-05-01"
    assert dates["yesterday"] == "2024-05-07"
    assert dates["March 3"] == "2024-03-03"
