"""Figures on our own sentences: every hedge form, categories, units, modality and non-figures."""

from __future__ import annotations

import pytest


def one(figures, category=None):
    found = [f for f in figures if category is None or f["category"] == category]
    assert len(found) == 1, figures
    return found[0]


@pytest.mark.parametrize("sentence, low, high, approx", [
    ("Up to 4,000 people were displaced by the fighting in Kassala.", None, 4000, False),
    ("As many as 300 people were killed in Goma, officials said.", None, 300, False),
    ("Fewer than 50 people were injured in the blast in Kabul.", None, 50, False),
    ("Under 200 people were evacuated from Beira.", None, 200, False),
    ("Almost 900 people were injured in the quake near Herat.", None, 900, True),
    ("Nearly 12,000 people have fled Khartoum this week.", None, 12000, True),
    ("At least 27 people were killed in the shelling of El Fasher.", 27, None, False),
    ("More than 3,000 people were displaced in Sindh.", 3000, None, False),
    ("Over 150 people were killed in Darfur.", 150, None, False),
    ("No fewer than 40 people were abducted near Maiduguri.", 40, None, False),
    ("About 15,000 people were evacuated from Maiduguri.", 15000, 15000, True),
    ("Around 2,500 people were displaced in Aden.", 2500, 2500, True),
    ("Some 600 people were injured in Port-au-Prince.", 600, 600, True),
    ("Approximately 8,000 people have fled Rafah.", 8000, 8000, True),
    ("Roughly 70 people died in the floods in Derna.", 70, 70, True),
    ("An estimated 90,000 people were displaced by the floods in Beledweyne.", 90000, 90000, True),
    ("Between 3,000 and 5,000 people have fled Goma.", 3000, 5000, False),
    ("Five or six soldiers were killed in the ambush near Djibo.", 5, 6, False),
    ("Dozens of people were killed in the attack on Bamako.", 12, None, True),
    ("Hundreds of families fled Sittwe.", 100, None, True),
    ("Thousands of people were displaced by the fighting in Wad Madani.", 1000, None, True),
    ("Tens of thousands of people have fled Kharkiv.", 10000, None, True),
    ("Half a million people were displaced in Mogadishu.", 500000, 500000, False),
    ("Ten million people need assistance in Yemen.", 10_000_000, 10_000_000, False),
    ("A dozen people were killed in Mosul.", 12, 12, False),
    ("At least about 200 people were evacuated from Tacloban.", 200, None, True),
])
def test_hedges(figures_of, sentence, low, high, approx):
    f = figures_of(sentence)[0]
    assert (f["low"], f["high"], f["approximate"]) == (low, high, approx), f


def test_vague_with_upper_bound(figures_of):
    f = one(figures_of("Militants in Gao are thought to number in the thousands but probably under 5,000."))
    assert (f["low"], f["high"], f["approximate"], f["category"]) == (1000, 5000, True, "fighters")


def test_lower_bound_by_superlative(figures_of):
    f = one(figures_of('"The smallest number we expect to flee is about 200,000 people," the governor of Kassala said.'))
    assert (f["low"], f["high"], f["approximate"]) == (200000, None, True)


@pytest.mark.parametrize("sentence, category, unit", [
    ("At least 14 people were killed in a car bomb attack in Mogadishu.", "killed", "people"),
    ("The blast in Kabul left 31 people wounded.", "injured", "people"),
    ("Some 20 fishermen are still missing off the coast of Chittagong.", "missing", "people"),
    ("Police in Lagos arrested 45 protesters on Monday.", "detained", "people"),
    ("Gunmen abducted 30 students from a school in Kaduna.", "kidnapped", "people"),
    ("More than 5,000 people have been displaced by clashes in Beni.", "displaced", "people"),
    ("Some 1,200 households fled their villages near Kindu.", "displaced", "households"),
    ("About 2,000 refugees crossed into Chad from Darfur.", "refugees", "people"),
    ("Some 130,000 Afghans returned from Iran through Islam Qala.", "returnees", "people"),
    ("Rescue teams evacuated 15,000 people from Maiduguri by boat.", "evacuated", "people"),
    ("Around 40,000 people are sheltering in camps in Dadaab.", "sheltered", "people"),
    ("The storm left 7,000 people homeless in Beira.", "homeless", "people"),
    ("Health officials recorded 1,900 cholera cases in Kassala.", "sick", "people"),
    ("The floods affected 400,000 people in Borno.", "affected", "people"),
    ("Some 2.7 million people need humanitarian assistance in Burkina Faso.", "in_need", "people"),
    ("The earthquake destroyed 1,100 houses in Khuzdar.", "houses_destroyed", "houses"),
    ("Another 6,000 houses were damaged in Maiduguri.", "houses_damaged", "houses"),
    ("The UN launched a $45 million appeal for flood relief in Pakistan.", "funding", "usd"),
    ("About 3,000 soldiers were deployed to Goma.", "troops", "people"),
])
def test_categories(figures_of, sentence, category, unit):
    f = one(figures_of(sentence))
    assert (f["category"], f["unit"]) == (category, unit), f


@pytest.mark.parametrize("sentence, modality", [
    ("At least 30 people were killed in the floods in Maiduguri.", "reported"),
    ("Officials expect up to 50,000 people to flee Kassala in the coming weeks.", "expected"),
    ("Up to 20,000 people will need shelter in Beira, the agency said.", "expected"),
    ("As many as 1,000 people could be displaced if the dam near Mosul fails.", "possible"),
    ("Up to 200 people may have died in the landslide in Enga.", "possible"),
])
def test_modality(figures_of, sentence, modality):
    f = figures_of(sentence)[0]
    assert f["modality"] == modality, f


@pytest.mark.parametrize("sentence", [
    "A 12-year-old girl was among those rescued in Kassala.",
    "The woman, aged 45, said she had lived in Goma since 2019.",
    "The magnitude 6.4 earthquake struck 40 km north of Khuzdar.",
    "The region received 210 mm of rain in three days.",
    "The war in Sudan is now in its third year.",
    "Fuel prices in Aden rose to $3 a litre last month.",
    "The meeting in Geneva lasted for five hours on Tuesday.",
])
def test_not_figures(figures_of, sentence):
    assert figures_of(sentence) == []


def test_related_links_and_headings_are_not_claims(extract_text):
    text = ("Aid reaches Kassala\nConvoys arrive\nAt least 40 people were killed in Kassala on Monday.\n"
            "- Floods kill 12 in neighbouring province\nHundreds of people fled\n"
            "Hundreds of people fled the town of Kassala on Tuesday, residents said.\n")
    result = extract_text(text, published="2024-09-03")
    texts = [f["text"] for f in result["figures"]]
    assert "At least 40" in texts and "Hundreds" in texts
    assert all(not (f["start"] >= text.index("- Floods") and f["end"] <= text.index("- Floods") + 40)
               for f in result["figures"])
    heading_start = text.index("Hundreds of people fled\n")
    assert all(f["start"] != heading_start for f in result["figures"])
    assert result["article"]["related_links"] == ["Floods kill 12 in neighbouring province"]
    assert result["article"]["section_headings"] == ["Hundreds of people fled"]


def test_source_place_and_reference(extract_text):
    text = ("Thousands flee Kassala\nStandfirst line\n"
            "Fighting broke out in Kassala on Monday.\n"
            "The International Organization for Migration (IOM) says up to 20,000 people could be forced from "
            "their homes in the city, and the UN estimates the number could be even higher.\n")
    figs = extract_text(text, published="2024-09-03")["figures"]
    first = next(f for f in figs if f["high"] == 20000)
    assert (first["category"], first["modality"], first["source"], first["place"]) == \
        ("displaced", "possible", "International Organization for Migration", "Kassala")
    ref = next(f for f in figs if f["text"].endswith("higher"))
    assert (ref["low"], ref["high"], ref["source"]) == (20000, None, "United Nations")


def test_demonym_place(figures_of):
    f = one(figures_of("Ten million Sudanese need food assistance."))
    assert f["place"] == "Sudan" and f["country_code"] == "SD"


@pytest.mark.parametrize("sentence, category", [
    ("No one was killed in the strike on the water station in Kassala, residents said.", "killed"),
    ("There were no reported casualties in the blast in Aden.", "killed"),
    ("Nobody was injured when the shell hit the school in Kharkiv.", "injured"),
])
def test_negated(figures_of, sentence, category):
    f = one(figures_of(sentence))
    assert (f["low"], f["high"], f["modality"], f["category"]) == (0, 0, "negated", category), f


def test_conjoined_verbs_keep_their_own_category(figures_of):
    figs = figures_of("Cholera has killed at least 43 people and sickened more than 1,900 in Kassala.")
    assert [(f["category"], f["low"]) for f in figs] == [("killed", 43), ("sick", 1900)]


def test_age_bounds_are_not_figures(figures_of):
    figs = figures_of("About one-third of the 1,900 cholera cases in Kassala were children under 5.")
    assert all(f["text"] != "under 5" for f in figs)
