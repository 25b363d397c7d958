"""Events on sentences written for these tests, and on the seed article."""

from __future__ import annotations

import json

import pytest

from conftest import need_shared


def events_of(extract_text, text: str, published: str | None = "2024-03-05") -> list[dict]:
    return extract_text(text, layout="body", published=published)["events"]


@pytest.mark.parametrize(("text", "etype", "subtype"), [
    ("Hundreds of teachers marched through the capital on Monday to demand higher pay.",
     "Protests", "Peaceful protest"),
    ("Traders staged a protest outside the town hall on Tuesday. Police dispersed the crowd with tear gas and "
     "arrested six people.", "Protests", "Protest with intervention"),
    ("Protesters threw stones at police and set a bank ablaze during a demonstration against fuel prices.",
     "Riots", "Violent demonstration"),
    ("Government troops clashed with rebel fighters near the border town on Sunday.", "Battles", "Armed clash"),
    ("The army said its soldiers retook the town from the militants after two days of fighting.",
     "Battles", "Government regains territory"),
    ("A warplane carried out an airstrike on a fuel depot outside the city, residents said.",
     "Explosions/Remote violence", "Air/drone strike"),
    ("Rebels shelled a residential district of the city with mortars overnight.",
     "Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("A roadside bomb exploded as a minibus passed, wounding four passengers.",
     "Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("Gunmen killed five villagers and burned their homes in a night raid on the settlement.",
     "Violence against civilians", "Attack"),
    ("Unidentified armed men abducted a local chief and his driver on the highway.",
     "Violence against civilians", "Abduction/forced disappearance"),
    ("Police arrested 14 opposition activists at their party office in the capital.",
     "Strategic developments", "Arrests"),
    ("Army engineers defused an explosive device found under a bridge.",
     "Strategic developments", "Disrupted weapons use"),
    ("More than 3,000 families fled their villages as the fighting spread.", "Displacement", None),
    ("Heavy flooding swept through the valley after three days of rain.", "Disaster", "Natural disaster"),
    ("Health officials declared a cholera outbreak in the camp after 40 cases were confirmed.",
     "Disaster", "Disease outbreak"),
    ("Members of the nurses' union held a press conference with banners outside the ministry on Tuesday.",
     "Protests", "Peaceful protest"),
    ("Parents took over the primary school on Monday to denounce the lack of water.", "Protests",
     "Peaceful protest"),
    ("Retired teachers gathered outside the town hall to voice their anger over unpaid pensions.", "Protests",
     "Peaceful protest"),
    ("Gunmen attacked an army base outside the town on Friday.", "Battles", "Armed clash"),
    ("A shoot-out between rival gangs broke out in the market on Friday.", "Battles", "Armed clash"),
    ("Unknown men burned a school and stole two motorcycles in the village overnight.",
     "Strategic developments", "Looting/property destruction"),
])
def test_types_and_subtypes(extract_text, text, etype, subtype):
    events = events_of(extract_text, text)
    assert events, f"no event in {text!r}"
    assert any(e["type"] == etype and e["subtype"] == subtype for e in events), events


def test_no_event_in_plain_reporting(extract_text):
    text = "The ministry published its annual report on school enrolment and teacher training on Monday."
    assert events_of(extract_text, text) == []


def test_roles_place_date_and_fatalities(extract_text):
    text = ("Armed men attacked the village of Kasanga near Bunia on Saturday, killing seven civilians, "
            "local officials said.")
    events = events_of(extract_text, text, published="2024-03-05")
    attack = next(e for e in events if e["type"] == "Violence against civilians")
    assert attack["place"] and attack["place"]["name"] in {"Kasanga", "Bunia"}
    assert attack["date"] == "2024-03-02"
    assert attack["fatalities"] == 7
    assert attack["figures"], "the killed figure belongs to the attack"


@pytest.mark.parametrize(("text", "deaths"), [
    # casualties told in the next sentence, with no one named as causing them, belong to the attack
    ("Gunmen attacked a police checkpoint outside Garissa on Monday. Two officers were killed and three "
     "others were abducted.", 2),
    # 'in the clashes' names the event before again
    ("Herders and farmers fought over grazing land near Kaduna on Monday. Officials said four people died "
     "in the clashes.", 4),
    # people killed one by one, without a number
    ("Unknown gunmen shot and killed a teacher and his wife at their home in Bunia on Monday.", 2),
    ("A roadside bomb hit a minibus near Mosul on Monday, killing one of the passengers.", 1),
    ("Militants attacked a tax collector in Kismayo on Monday. He was killed in the attack.", 1),
    ("Soldiers raided the village of Tiko on Monday, which resulted in the killing of the village chief.", 1),
    ("Residents beat a suspected thief to death in the market in Arusha on Monday.", 1),
    ("Police found the body of a young man with a bullet wound near Baghdad on Monday.", 1),
    ("Two women were burned alive at their home in Delmas on Monday.", 2),
    ("Militants burned a school and a church in the village of Tiko on Monday.", None),
    # a count settled on by the writer, stated after the event
    ("Rival clans clashed in Galkayo on Monday, causing several deaths. Unclear fatalities coded as 3.", 3),
    ("Artillery shelled Kramatorsk on Monday. 6 civilians were killed and 9 injured (6 fatalities split "
     "among 3 events).", 2),
    # a party's claim beside a plain report counts for nothing
    ("Rebels attacked an army base near Goma on Monday. One soldier was killed and two were wounded. The "
     "rebels claimed killing 12 soldiers.", 1),
    # those listed after 'including' are part of the total
    ("Gunmen attacked a checkpoint near Koutiala on Monday. Nine people including two customs officers and "
     "seven civilians were killed.", 9),
    # no place or date of its own after the fight: more of it
    ("Rebels attacked an army post near Beni on Monday. Soldiers fired back and two rebels were killed.", 2),
])
def test_fatalities_counted_across_sentences_and_one_by_one(extract_text, text, deaths):
    events = events_of(extract_text, text)
    assert events, f"no event in {text!r}"
    first = min(events, key=lambda e: e["start"])
    assert first["fatalities"] == deaths, events


def test_agent_and_target(extract_text):
    text = "Sudanese army soldiers clashed with Rapid Support Forces fighters in Omdurman on Friday."
    events = events_of(extract_text, text)
    clash = next(e for e in events if e["type"] == "Battles")
    roles = {a["role"] for a in clash["actors"]}
    assert "agent" in roles and "target" in roles, clash["actors"]


@pytest.mark.parametrize(("text", "modality"), [
    ("The army plans an offensive on the rebel-held town next week.", "expected"),
    ("Aid agencies warned that fighting could force thousands more to flee.", "possible"),
    ("Rebels attacked an army post near the town on Sunday.", "reported"),
])
def test_modality(extract_text, text, modality):
    events = events_of(extract_text, text)
    assert events and events[0]["modality"] == modality, events


def test_events_in_headline_and_body_merge(extract_text):
    text = ("Floods kill 12 in northern district\n\nFlash floods killed 12 people in the northern district of "
            "Swat on Tuesday, officials said. Rescue teams were searching for missing people.\n")
    events = extract_text(text, published="2024-03-05")["events"]
    disasters = [e for e in events if e["type"] == "Disaster"]
    assert len(disasters) == 1
    assert "Flash floods" in disasters[0]["text"], "the body sentence is the evidence, not the headline"


def test_event_place_skips_sides_and_destinations(extract_text):
    from sitrep.api import _extractor
    from sitrep.pipeline.events import event_place_span

    nlp = _extractor().nlp
    text = "Kenyan troops were attacked in Mandera by militants who later fled to Somalia."
    doc = nlp(text)
    trig = next(t for t in doc if t.text == "attacked")
    span = event_place_span(doc, trig)
    assert span is not None and text[span[0]:span[1]] == "Mandera"


@pytest.mark.parametrize(("text", "verb", "place"), [
    # the smaller place a wider one only locates
    ("A civilian was killed by a sniper in the Salhiyeh neighbourhood of central Aleppo on Monday.", "killed",
     "Salhiyeh"),
    ("A car bomb exploded in the town of Tarmiyah, some 50 km north of Baghdad, on Sunday.", "exploded",
     "Tarmiyah"),
    ("Two farmers were shot dead in the village of Kafr Nabl in the countryside of Idlib, in northern Syria.",
     "shot", "Kafr Nabl"),
    ("A bomb exploded at the Tahrir junction in central Baghdad.", "exploded", "Tahrir"),
    # a side is not a setting; a place can still modify where it happened
    ("Three soldiers were killed in a US-Iraqi raid on the outskirts of Ramadi.", "killed", "Ramadi"),
    ("The owner of a Kandahar hotel was shot dead on Tuesday.", "shot", "Kandahar"),
    ("Rebels captured Jalalabad after a week of fighting.", "captured", "Jalalabad"),
    # another clause's place, and a use of the verb that reports no event
    ("Troops patrolled the main road on Friday, and Turkey has demanded an inquiry.", "patrolled", None),
    ("Two protesters were killed in clashes while the president was visiting Paris.", "killed", None),
    ("Norway captured the silver medal in the relay in Oslo.", "captured", None),
    # where victims were taken afterwards, and what describes the attackers
    ("The journalist was captured and taken to a prison in Kandahar.", "captured", None),
    ("Gunmen shot a shopkeeper, who later died at a hospital in Peshawar.", "shot", None),
    ("The convoy was attacked by militants who have their bases in Pakistan.", "attacked", None),
    # a place named in apposition, and a street
    ("A policeman was shot dead outside the provincial capital, Kunduz, on Monday.", "shot", "Kunduz"),
    ("A man was stabbed as he walked along Jefferson Avenue.", "stabbed", "Jefferson Avenue"),
    # a country's installations are in it; a march from one place to another starts where it starts
    ("Soldiers patrolled Nigeria's oil installations on Sunday.", "patrolled", "Nigeria"),
    ("Students will march from Tahrir towards the parliament building.", "march", "Tahrir"),
    ("The protesters marched to the Lagos offices of the electoral commission.", "marched", "Lagos"),
])
def test_event_place_is_the_setting(text, verb, place):
    from sitrep.api import _extractor
    from sitrep.pipeline.eventplace import event_place_span

    doc = _extractor().nlp(text)
    span = event_place_span(doc, next(t for t in doc if t.text == verb))
    assert (text[span[0]:span[1]] if span else None) == place


def test_seed_events(extract_text):
    path = need_shared("examples", "mosul-2016.txt")
    gold = json.loads(path.with_suffix(".gold.json").read_text())
    from sitrep.eval.seed import score

    result = extract_text(path.read_text(encoding="utf-8"), published="2016-07-30")
    got, total = score(gold, result)["events_required"]
    assert got == total


def test_case2021_format_maps_codes_to_acled_and_leaves_out_other_labels(tmp_path):
    """The CASE 2021 task 2 reader, on a file in its format holding our own sentences."""
    from sitrep.eval.events import CASE_SUBTYPES, evaluate

    assert len(CASE_SUBTYPES) == 25
    path = tmp_path / "case.tsv"
    path.write_text(
        "id\tEventSnippet\tSubType\n"
        "1\tA warplane carried out an airstrike on a fuel depot outside the city, residents said.\tAIR_STRIKE\n"
        "2\tHundreds of teachers marched through the capital on Monday to demand higher pay.\tPEACE_PROTEST\n"
        "3\tFloods swept away dozens of houses after three days of heavy rain.\tNATURAL_DISASTER\n",
        encoding="utf-8")
    result = evaluate(path)
    assert result["n"] == 2 and result["left_out"] == 1
    row = result["rows"][0]
    assert row["type_acc"] == 1.0 and row["subtype_weighted_f1"] == 1.0
    assert "fatalities_exact_deaths" not in row


def test_a_town_in_a_province_lies_in_it(extract_text):
    text = "Smaller numbers of returnees arrived at Milak in Nimroz province on Monday."
    places = extract_text(text, layout="body")["places"]
    milak = next(p for p in places if any(m["text"] == "Milak" for m in p["mentions"]))
    assert milak["country_code"] == "AF", "not the Milak in India: the qualifier says where it lies"


def test_a_region_spelled_another_way_is_the_region_not_a_namesake_town(extract_text):
    # the gazetteer spells it "Hiiraan"; "Hiran" alone names only a village in Iraq
    text = "Floods forced 250,000 people from their homes in Beledweyne, the capital of the Hiran region."
    places = extract_text(text, layout="body")["places"]
    hiran = next(p for p in places if any(m["text"] == "Hiran" for m in p["mentions"]))
    assert (hiran["country_code"], hiran["feature"]) == ("SO", "admin1")
