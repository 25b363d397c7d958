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


@pytest.mark.parametrize("body, kind, speaker, cue, content", [
    # the attribution set off inside its content
    ("The new camp, the UNHCR representative said, will hold 20,000 people.",
     "indirect", "UNHCR", "said", "will hold 20,000 people"),
    # 'X, who said ...'
    ("Ahmed Kolo, who said the dam had collapsed overnight, led the rescue teams.",
     "indirect", "Ahmed Kolo", "said", "the dam had collapsed overnight"),
    # passive 'quoted as saying'
    ("Amina Yusuf was quoted as saying that the army would reach the town within days.",
     "indirect", "Amina Yusuf", "saying", "the army would reach the town within days"),
    # prepositional, object and infinitive contents
    ("The World Health Organization called for an immediate ceasefire to allow vaccinations.",
     "indirect", "World Health Organization", "called for", "an immediate ceasefire"),
    ("Human Rights Watch accused the army of shelling residential areas.",
     "indirect", "Human Rights Watch", "accused", "the army of shelling residential areas"),
    ("Amina Yusuf vowed to rebuild every school in the district.",
     "indirect", "Amina Yusuf", "vowed", "to rebuild every school"),
    # '..., saying ...' takes the subject of the clause it hangs from
    ("Ahmed Kolo criticized the aid agencies, saying they had ignored the northern districts.",
     "indirect", "Ahmed Kolo", "saying", "they had ignored the northern districts"),
    # passive with an agent
    ("The plan was criticized by Human Rights Watch for leaving out the displaced.",
     "indirect", "Human Rights Watch", "criticized", "The plan"),
    # a stance noun after a light verb
    ("Save the Children expressed concern about the lack of clean water in the camps.",
     "indirect", "Save the Children", "expressed concern about", "the lack of clean water"),
    # a dash attribution after a quote
    ('"The water came at night and took everything we had." \u2015 Amina Yusuf, Maiduguri',
     "direct", "Amina Yusuf", "\u2015", "The water came at night"),
    # an interview transcript line
    ("ZULUM: We need more tents and food for the people of Monguno.",
     "direct", "ZULUM", ":", "We need more tents"),
    # a transcript quoted at length: a quote mark opens each of its paragraphs
    ('"ZULUM: We need more tents and food for the people of Monguno.',
     "direct", "ZULUM", ":", "We need more tents"),
    # a quote whose paragraph opens with a closing mark, attributed after a dash
    ("\u201dThe water came at night and took everything we had.\u201d \u2015 Amina Yusuf, Maiduguri",
     "direct", "Amina Yusuf", "\u2015", "The water came at night"),
])
def test_more_attribution_forms(extract_text, body, kind, speaker, cue, content):
    found = quotes(extract_text, body)
    match = [q for q in found if content in q["text"]]
    assert match, found
    q = match[0]
    assert (q["kind"], q["speaker"], q["cue"]) == (kind, speaker, cue), q


def test_direct_quote_continued_after_its_attribution(extract_text):
    body = ('"We have lost everything in the floods," said Amina Yusuf, a farmer. '
            '"The water took our house and our animals."\n'
            '"Nobody has come to help us since Monday."\n'
            'Ahmed Kolo said the dam had failed, adding that more rain was forecast.\n')
    found = quotes(extract_text, body)
    first = found[0]
    assert first["kind"] == "direct" and first["speaker"] == "Amina Yusuf"
    assert "lost everything" in first["text"] and "our animals" in first["text"] and "Nobody" in first["text"]
    assert first["speaker_mention"]["text"].startswith("Amina Yusuf")
    rest = [(q["speaker"], q["cue"], q["text"]) for q in found[1:]]
    assert rest == [("Ahmed Kolo", "said", "the dam had failed"),
                    ("Ahmed Kolo", "adding", "that more rain was forecast")], rest


def test_a_cue_inside_a_content_is_left_to_the_outer_quote(extract_text):
    found = quotes(extract_text, "Amina Yusuf said the governor wants to close the camp before the rains.")
    assert [(q["speaker"], q["cue"]) for q in found] == [("Amina Yusuf", "said")], found


def test_it_said_resolves_to_the_organisation(extract_text):
    body = ("The International Committee of the Red Cross said the convoy had reached Kassala. "
            "It said 40 trucks were still waiting at the border.\n")
    found = quotes(extract_text, body)
    assert [q["speaker"] for q in found] == ["International Committee of the Red Cross"] * 2, found
    assert found[1]["speaker_mention"]["text"] == "It"


def test_no_quote_from_plain_narration(extract_text):
    body = "The river rose two metres overnight and the bridge to Kassala was closed on Monday.\n"
    assert quotes(extract_text, body) == []
