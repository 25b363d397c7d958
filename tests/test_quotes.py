"""Attribution forms on our own sentences: direct, indirect, mixed; cue; speaker resolution."""

from __future__ import annotations

import pytest


def quotes(extract_text, body):
    return extract_text(f"Headline here\nStandfirst here\n{body}", published="2024-05-01")["quotes"]


@pytest.mark.parametrize("body, kind, speaker, cue, content", [
    ("Amina Yusuf, the governor of Borno, said that at least 30 people had died in the floods.",
     "indirect", "Amina Yusuf", "said", "at least 30 people had died in the floods"),
    ("At least 30 people died in the floods, the governor of Borno, Amina Yusuf, says.",
     "indirect", "Amina Yusuf", "says", "At least 30 people died in the floods"),
    ("According to the World Health Organization, 1,900 cholera cases have been recorded in Kassala.",
     "indirect", "World Health Organization", "according to", "1,900 cholera cases have been recorded in Kassala"),
    ("UNHCR estimates that 400,000 refugees have crossed into Chad since April.",
     "indirect", "UNHCR", "estimates", "400,000 refugees have crossed into Chad since April"),
    ('"We have never seen water like this in Maiduguri," said Ahmed Kolo, a rescue worker.',
     "direct", "Ahmed Kolo", "said", "We have never seen water like this in Maiduguri"),
    ('Ahmed Kolo said: "We have never seen water like this in Maiduguri."',
     "direct", "Ahmed Kolo", "said", "We have never seen water like this in Maiduguri"),
    ('Ahmed Kolo said the flood was "the worst we have seen in fifty years" and more rain was coming.',
     "mixed", "Ahmed Kolo", "said", "the flood was"),
])
def test_attribution_forms(extract_text, body, kind, speaker, cue, content):
    found = quotes(extract_text, body)
    match = [q for q in found if content in q["text"]]
    assert match, found
    q = match[0]
    assert (q["kind"], q["speaker"], q["cue"]) == (kind, speaker, cue), q


def test_pronoun_and_surname_resolve_to_the_person(extract_text):
    body = ("Sudan's health minister said on Monday that cholera was spreading in Kassala.\n"
            "Haitham Ibrahim said vaccines would arrive within days.\n"
            '"We are racing against time," he said.\n'
            "Ibrahim added that 43 people had died.\n")
    result = extract_text(f"Cholera spreads\nStandfirst\n{body}", published="2024-09-03")
    speakers = [q["speaker"] for q in result["quotes"]]
    assert speakers == ["Haitham Ibrahim"] * 4, result["quotes"]
    person = next(a for a in result["actors"] if a["name"] == "Haitham Ibrahim")
    assert {"Sudan's health minister", "Haitham Ibrahim", "he", "Ibrahim"} <= {m["text"] for m in person["mentions"]}


def test_aliases_and_acronyms(extract_text):
    body = ("The International Organization for Migration (IOM) said 5,000 people fled Kassala. "
            "IOM said more were expected. Daesh and ISIL fighters attacked a checkpoint, and Islamic State "
            "claimed the attack. Sudanese troops and government forces retook the town.\n")
    result = extract_text(f"Headline\nStandfirst\n{body}", published="2024-09-03")
    by_name = {a["name"]: {m["text"] for m in a["mentions"]} for a in result["actors"]}
    assert {"International Organization for Migration", "IOM"} <= by_name["International Organization for Migration"]
    assert {"Daesh", "ISIL", "Islamic State"} <= by_name["Islamic State"]
    assert {"Sudanese troops", "government forces"} <= by_name["Military Forces of Sudan"]


def test_user_alias_file(tmp_path):
    from sitrep.pipeline.lexicon import default_lexicon

    path = tmp_path / "mine.tsv"
    path.write_text("Kassala Youth Committee\torganization\tKYC|Kassala youth committee\n", encoding="utf-8")
    lex = default_lexicon([str(path)])
    assert lex.lookup("KYC") == "Kassala Youth Committee"
    assert lex.lookup("Daesh") == "Islamic State"
