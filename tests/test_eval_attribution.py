"""The PolNeAR attribution evaluation: brat reading, the scorer on a hand-made example, a short dev run."""

from __future__ import annotations

import pytest

from sitrep.eval import attribution as ev

from conftest import need_shared

# Our own brat file: a quote with a discontinuous content, a source-less attribution, a Content2 role and
# a span that runs over two lines (brat writes the newline into the span text).
ANN = """T1\tSource 0 11\tAmina Yusuf
T2\tCue 12 16\tsaid
T3\tContent 17 40;50 60\tthe camp was full again and more
T4\tAttribution 12 16\tsaid
E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1
T5\tCue 70 81\tis expected
T6\tContent 62 69;82 99\tthe dam to hold on
T7\tAttribution-no-source 70 81\tis expected
E2\tAttribution-no-source:T7 Content:T6 Cue:T5
T8\tContent 100 120\tline one
line two
T9\tContent 121 130\textra
T10\tCue 131 135\tsaid
T11\tAttribution 131 135\tsaid
E3\tAttribution:T11 Cue:T10 Content:T8 Content2:T9
T12\tDiscard 140 150\tRead more
#1\tAnnotatorNotes T3\ta note
"""


def test_parse_ann_roles_and_pieces():
    attrs = ev.parse_ann(ANN)
    assert len(attrs) == 3
    first, second, third = attrs
    assert first.content == [(17, 40), (50, 60)] and first.cue == [(12, 16)] and first.source == [(0, 11)]
    assert second.source == [] and second.content == [(62, 69), (82, 99)]
    assert third.content == [(100, 120), (121, 130)] and third.cue == [(131, 135)]


def test_scorer_on_own_sentences():
    text = ('Amina Yusuf said the camp was full. "We need tents," the governor told reporters. '
            'The river rose again overnight.')
    span = lambda s: (text.index(s), text.index(s) + len(s))  # noqa: E731
    gold = [
        ev.Attribution([span("the camp was full")], [span("said")], [span("Amina Yusuf")]),
        ev.Attribution([span('"We need tents,"')], [span("told")], [span("the governor")]),
    ]
    pred = [
        # exact up to the full stop; right speaker and cue
        ev.Attribution([span("the camp was full.")], ev.cue_position(text, "said", [span("the camp was full.")]),
                       [], [span("Amina Yusuf")], "said"),
        # the quote without its marks: overlaps, not exact by characters but exact up to edge punctuation;
        # wrong speaker span, no cue
        ev.Attribution([span("We need tents")], [], [], [span("Amina Yusuf")], None),
        # no gold: a false positive
        ev.Attribution([span("The river rose again overnight")], [], [], [], None),
    ]
    counts = ev.score(text, gold, pred)
    assert counts["match"] == 2 and counts["pred"] == 3 and counts["gold"] == 2
    assert counts["exact"] == 2
    assert (counts["speaker_ok"], counts["speaker_n"]) == (1, 2)
    assert (counts["cue_ok"], counts["cue_n"]) == (1, 2)
    m = ev.metrics(counts)
    assert m["p"] == pytest.approx(2 / 3) and m["r"] == 1.0 and m["f1"] == pytest.approx(0.8)
    assert m["speaker_acc"] == 0.5 and m["cue_acc"] == 0.5


def test_overlap_is_over_the_longer_span():
    chars = ev._Chars("abcdefghij klmnopqrst")
    assert chars.overlap([(0, 10)], [(0, 10)]) == 1.0
    assert chars.overlap([(0, 10)], [(0, 3)]) == pytest.approx(0.3)
    assert chars.overlap([(0, 10)], [(0, 21)]) == pytest.approx(10 / 20)  # the space does not count
    assert chars.overlap([(0, 5), (11, 16)], [(0, 16)]) == pytest.approx(10 / 15)


def test_parser_reads_real_polnear_files():
    dev = need_shared("eval", "attribution", "PolNeAR", "dev")
    articles = ev.load(dev, limit=5)
    assert len(articles) == 5
    annotators: dict[str, list[str]] = {}
    for path in sorted((dev / "attributions").glob("*.ann")):
        annotators.setdefault(path.stem.rsplit("_", 1)[0], []).append(path.name)
    for art in articles:
        assert art.ann == annotators[art.id][0]  # the first annotator's file
        assert art.gold
        for a in art.gold:
            assert a.content and a.cue
            assert all(0 <= s < e <= len(art.text) for s, e in a.content + a.cue + a.source)
    # offsets are Python string indexes into the .txt: a cue is a word of the text
    cues = [art.text[s:e] for art in articles for a in art.gold for s, e in a.cue]
    assert "said" in cues
    # the root folder with a split works the same
    root = ev.load(dev.parent, limit=1, split="dev")
    assert root[0].id == articles[0].id


def test_evaluate_dev_sample(extractor):
    dev = need_shared("eval", "attribution", "PolNeAR", "dev")
    result = ev.evaluate(dev, limit=10, extractor=extractor)
    assert result["task"] == "attribution" and result["n"] == 10
    ours = result["rows"][0]
    assert ours["system"] == "sitrep" and ours["gold"] > 100
    assert ours["f1"] > 0.6 and ours["speaker_acc"] > 0.75
    for row in result["rows"]:
        for key in ("p", "r", "f1", "exact_f1", "speaker_acc", "cue_acc"):
            assert row[key] is None or 0.0 <= row[key] <= 1.0
    if len(result["rows"]) == 1:
        assert any("textacy" in note for note in result["notes"])
    table = ev.format_table(result)
    assert "sitrep" in table and "speaker_acc" in table
