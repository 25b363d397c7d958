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


# -- number formats (numbers.py) ---------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, low, high", [
    ("About 14 000 people were evacuated from Beira.", 14000, 14000),  # thousands written with a space
    ("About 14\u00a0000 people were evacuated from Beira.", 14000, 14000),  # ... or a no-break space
    ("Some 61, 000 people were displaced in Sindh.", 61000, 61000),  # a stray comma and space
    ("Some 2500\u20133000 people fled Kassala on Monday.", 2500, 3000),  # a range as one token
    ("Two to three million people have fled Kharkiv.", 2_000_000, 3_000_000),  # the low end borrows the scale
    ("Between 10-15,000 people fled Goma last week.", 10000, 15000),
    ("About 2.14 lakh people were evacuated in Odisha.", 214000, 214000),
    ("Heavy rain forced 1350 people to leave their homes in Kassala.", 1350, 1350),  # a count, not a year
])
def test_number_formats(figures_of, sentence, low, high):
    f = one(figures_of(sentence))
    assert (f["low"], f["high"]) == (low, high), f


# -- displacement vocabulary and structure (figures.py) ------------------------------------------------------

@pytest.mark.parametrize("sentence, category, unit", [
    ("Officials said 4,200 villagers have been relocated to safety in Sylhet.", "evacuated", "people"),
    ("About 3,000 residents moved to safer places before the cyclone hit Khulna.", "evacuated", "people"),
    ("The floods forced the evacuation of 2,300 residents in Beira.", "evacuated", "people"),  # event noun + of
    ("The floods forced the evacuation of, according to officials, 9,400 people in Beira.", "evacuated", "people"),
    ("Witnesses described the destruction of 450 houses in Derna.", "houses_destroyed", "houses"),
    ("Fire crews ordered the evacuation of about 80 homes near Kelowna.", "evacuated", "households"),
    ("Some 900 people have been accommodated in schools in Sylhet.", "sheltered", "people"),
    ("Nearly 40,000 people are sheltering in relief camps after fleeing the floods in Assam.", "sheltered",
     "people"),
    ("About 5,000 families were affected and evacuated in Kampong Cham.", "evacuated", "households"),
    ("About 2,000 people lost their homes in the fire in Kassala.", "homeless", "people"),
    ("The floods claimed at least 60 lives in Assam.", "killed", "people"),
    ("About 4,000 people took refuge in churches in Bangui.", "displaced", "people"),
    ("The cyclone destroyed over 12,000 mud-and-thatch homes in Odisha.", "houses_destroyed", "houses"),
    ("Mudslides buried 35 homes in the village near Kandy.", "houses_destroyed", "houses"),
    ("The number of displaced families is estimated to be 350 in Muyinga.", "displaced", "households"),
    ("Some 18,000 residents living in flimsy sheds near the river had moved to safer places.", "evacuated",
     "people"),
])
def test_displacement_categories(figures_of, sentence, category, unit):
    f = one(figures_of(sentence))
    assert (f["category"], f["unit"]) == (category, unit), f


def test_conjoined_verb_with_its_own_subject_keeps_its_count(figures_of):
    figs = figures_of("About 5,000 people have been affected and 700 relocated in Hunan.")
    assert [(f["low"], f["category"]) for f in figs] == [(5000, "affected"), (700, "evacuated")]


@pytest.mark.parametrize("sentence", [
    "The government has opened 120 relief camps across Assam.",  # camps are not people
    "Total claims pending as of Feb. 28 were higher than last year.",  # an abbreviated month
])
def test_more_not_figures(figures_of, sentence):
    assert figures_of(sentence) == []


def test_zone_number_is_not_a_count(figures_of):
    figs = figures_of("Gunmen killed three men in Mixco, zone 6, on Sunday.")
    assert [f["low"] for f in figs] == [3]


@pytest.mark.parametrize("text, low, category, unit", [
    ("A total of 1,964 households were displaced", 1964, "displaced", "households"),  # one line, no stop
    ("Completely destroyed houses: 1,250", 1250, "houses_destroyed", "houses"),  # a label before the number
    ("Evacuated people in the district: 3,400", 3400, "evacuated", "people"),
])
def test_one_line_excerpts(extract_text, text, low, category, unit):
    f = one(extract_text(text, layout="body")["figures"])
    assert (f["low"], f["category"], f["unit"]) == (low, category, unit), f


def test_place_named_later_in_the_paragraph(extract_text):
    text = "Heavy rain forced 1,200 people to leave their homes on Monday. Most of those displaced are in Beledweyne."
    f = one(extract_text(text, layout="body")["figures"])
    assert f["place"] == "Beledweyne", f


@pytest.mark.parametrize("sentence", [
    "The driver, Ahmed Salim, 42, was arrested at the checkpoint in Kassala.",
    "Amina Yusuf, who was 38, died in the hospital in Maiduguri.",
    "Police seized 3,000 kilos of rotten meat in a market in Quezon City.",
    "Officials found roughly 4,000 dead wild birds near Krasnodar.",
    "Cases have now been confirmed in 76 countries, the agency said.",
])
def test_ages_animals_and_units_are_not_figures(figures_of, sentence):
    assert figures_of(sentence) == [], sentence


def test_one_another_is_not_a_figure(figures_of):
    figs = figures_of("The three cholera cases in Oslo are isolated from one another.")
    assert [(f["category"], f["low"]) for f in figs] == [("sick", 3)]


@pytest.mark.parametrize(("text", "kept"), [
    ("Troops destroyed more than 80 units of military equipment and killed 45 fighters.", [45]),
    ("Nine militants were killed and seven motorcycles belonging to them were recovered.", [9]),
    ("A shell fired by the army's LIB 250 hit a school and killed three children.", [3]),
    ("Five tank crews were killed when the column was ambushed.", [5]),
])
def test_equipment_and_unit_designations_are_not_people(extract_text, text, kept):
    figures = extract_text(text, layout="body")["figures"]
    assert sorted(f["low"] for f in figures if f["category"] == "killed") == kept, figures


def test_those_who_kill_are_not_counted_as_killed(extract_text):
    figures = extract_text("Four gunmen killed two farmers in their fields on Sunday.", layout="body")["figures"]
    assert [f["low"] for f in figures if f["category"] == "killed"] == [2], figures


def test_years_shares_and_currencies_in_funding(extract_text):
    text = ("The 2024 refugee response plan for Chad, a $630 million appeal, is only 4 per cent funded. "
            "The IFRC appealed for 1.2 million Swiss francs for Bangladesh and the EU pledged 5 million euros "
            "in aid.")
    figs = extract_text(text, layout="body")["figures"]
    assert not any(f["low"] == 2024 for f in figs), "a year before a compound is not a count"
    got = {(f["low"], f["unit"]) for f in figs if f["category"] == "funding"}
    assert got == {(630_000_000, "usd"), (0.04, "share"), (1_200_000, "chf"), (5_000_000, "eur")}
    francs = next(f for f in figs if f["unit"] == "chf")
    assert francs["place"] != "Switzerland", "'Swiss francs' names a currency, not a place"


def test_where_the_wounded_were_taken_is_not_where_they_were_hurt(extract_text):
    text = ("A car bomb exploded at a checkpoint in Mogadishu on Sunday. Eight people were wounded and taken to "
            "Madina hospital, police said.")
    injured = one(extract_text(text)["figures"], "injured")
    assert injured["place"] == "Mogadishu"


def test_an_unknown_place_is_not_replaced_by_the_one_named_before(extract_text):
    text = ("Mpox cases are rising in Goma. No deaths have been recorded among health workers in Lulingu, a "
            "nurse said.")
    killed = one(extract_text(text)["figures"], "killed")
    assert killed["place"] is None


def test_a_year_names_a_plan_but_a_number_of_families_is_a_count(extract_text):
    plan = extract_text("The 2024 refugee response plan for Chad is only 4 per cent funded.", layout="body")
    assert [(f["category"], f["low"], f["unit"], f["modality"]) for f in plan["figures"]] == [
        ("funding", 0.04, "share", "reported")], "a plan named is not a plan to do something"
    families = extract_text("Some 2000 refugee families arrived in Adre last week.", layout="body")
    assert one(families["figures"], "refugees")["low"] == 2000


@pytest.mark.parametrize(("text", "category"), [
    ("The hospital director said the facility had received 38 wounded patients on Tuesday.", "injured"),
    ("The clinic treated 40 cholera patients on Monday.", "sick"),
])
def test_wounded_patients_are_injured(extract_text, text, category):
    assert one(extract_text(text, layout="body")["figures"])["category"] == category


def test_a_headline_figure_takes_the_story_place(extract_text):
    text = ("Shelling kills two in market\nFire crews work through the night\n"
            "Artillery shelled a market in the centre of Sumy on Monday evening, emergency services said.\n")
    killed = one(extract_text(text)["figures"], "killed")
    assert killed["place"] == "Sumy"


def test_a_place_named_as_a_speaker_is_not_where_a_count_happened(extract_text):
    # the last place named before the count is Kigali, but as the Rwandan government that denies a charge
    text = ("Fighting near Goma killed 17 people on Sunday, the UN said. The minister accused Rwanda of sending "
            "troops, a charge Kigali denies. A local rights group said it had counted dozens of bodies in the "
            "streets.")
    figures = extract_text(text, layout="body")["figures"]
    dozens = next(f for f in figures if f["text"] == "dozens")
    assert dozens["category"] == "killed" and dozens["place"] == "Goma", dozens
