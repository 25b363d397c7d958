"""Place resolution on short texts written for the tests: which of a name's namesakes the text means."""

from __future__ import annotations

import pytest


def place_of(extract_text, text: str, name: str) -> dict:
    places = extract_text(text, layout="body")["places"]
    return next(p for p in places if any(m["text"] == name for m in p["mentions"]))


@pytest.mark.parametrize(("text", "name"), [
    ("WASHINGTON - The talks on a ceasefire resumed on Tuesday, officials said.", "WASHINGTON"),
    ("Diplomats in Kabul said Washington would send more food aid to the displaced.", "Washington"),
])
def test_a_bare_capital_name_is_the_capital_not_the_subdivision_named_alike(extract_text, text, name):
    washington = place_of(extract_text, text, name)
    assert (washington["admin1"], washington["feature"]) == ("US.DC", "city")


@pytest.mark.parametrize("text", [
    "The fires burned 4,000 hectares of forest in Washington state, officials said.",
    "The first case was found in the state of Washington in 2003, officials said.",
])
def test_a_name_the_text_calls_a_state_is_the_state(extract_text, text):
    washington = place_of(extract_text, text, "Washington")
    assert (washington["admin1"], washington["feature"]) == ("US.WA", "admin1")


@pytest.mark.parametrize(("text", "part", "outer"), [
    ("A bomb hit a church in Cairo's Abbasiya district on Sunday, police said.", "Abbasiya", "Cairo"),
    ("Gunmen killed two guards in the Adhamiyah district of Baghdad on Friday.", "Adhamiyah", "Baghdad"),
    ("Fighting reached the Baghdad district of Adhamiyah on Monday.", "Adhamiyah", "Baghdad"),
    ("Two men from the Cincinnati suburb of West Chester were charged on Monday.", "West Chester", "Cincinnati"),
])
def test_a_place_the_text_puts_inside_another_lies_there(extract_text, text, part, outer):
    from sitrep.gazetteer import distance_km

    inner_place = place_of(extract_text, text, part)
    outer_place = place_of(extract_text, text, outer)
    assert distance_km((inner_place["lat"], inner_place["lon"]), (outer_place["lat"], outer_place["lon"])) < 150


def test_saints_and_titles_are_not_towns(extract_text):
    text = ("The blast hit the church of St. Peter in Cairo on Sunday. The Grand Mufti sent his condolences to "
            "Pope Tawadros of the Coptic Church in Egypt.")
    names = {m["text"] for p in extract_text(text, layout="body")["places"] for m in p["mentions"]}
    assert "Cairo" in names and "Egypt" in names
    assert not names & {"St. Peter", "Pope"}


def test_a_world_round_up_does_not_pull_a_capital_to_a_namesake_village(extract_text):
    # Many countries share the votes: none of them says where "Cairo" is, so the capital stays the capital.
    text = ("Health officials reported new cases in Texas, Illinois, Ohio and Florida on Monday. Canada, Brazil, "
            "Australia, Britain, Germany, Russia and Japan also reported cases. Medical staff check passengers "
            "arriving at Cairo airport from Mexico.")
    cairo = place_of(extract_text, text, "Cairo")
    assert cairo["country_code"] == "EG"


def test_a_short_form_of_a_city_name_is_that_city(extract_text):
    # the gazetteer names it "Newcastle upon Tyne"; "Newcastle" alone is its short form
    text = "Doctors in Newcastle, in the north-east of England, said the new fertility treatment was safe."
    newcastle = place_of(extract_text, text, "Newcastle")
    assert newcastle["country_code"] == "GB"


@pytest.mark.parametrize(("key", "name", "short"), [
    ("newcastle", "Newcastle upon Tyne", True), ("frankfurt", "Frankfurt am Main", True),
    ("halle", "Halle (Saale)", True), ("enfield", "Enfield Town", True),
    ("manhattan", "Manhattan Beach", False), ("butte", "Butte County", False), ("kansas", "Kansas City", False),
])
def test_short_forms(key, name, short):
    from sitrep.pipeline.placecues import short_form

    assert short_form(key, name) is short


def test_a_town_the_gazetteer_lacks_falls_back_to_its_abbreviated_state(extract_text):
    # no Holliday in Missouri in the gazetteer (only one in Texas): "Mo." says where it is
    text = "HOLLIDAY, Mo. - A 25-year-old man was arrested on Friday after a crash on Route C, police said."
    holliday = place_of(extract_text, text, "HOLLIDAY")
    assert holliday["admin1"] == "US.MO"


def test_a_local_telephone_number_says_which_london(extract_text):
    # a North American area code (519) names London, Ontario: the local paper's London
    text = ("One man died after a stabbing at a banquet hall, London police say. Anyone with information is asked "
            "to call London police at 519-661-5670.")
    london = place_of(extract_text, text, "London")
    assert (london["country_code"], london["admin1"]) == ("CA", "CA.08")


def test_phone_places_read_area_codes_and_skip_toll_free_numbers():
    from sitrep.gazetteer import shared
    from sitrep.pipeline.phones import phone_places

    found = phone_places("Call (304) 399-6500, 806.423.1253 or the hotline at 1-800-222-8477.", shared())
    assert [(p.admin1.admin1, p.city) for p in found] == [("US.WV", "Huntington"), ("US.TX", None)]


def test_area_codes_come_from_the_index_not_from_phonenumbers_geocoding_data_at_run_time():
    # phonenumbers' geocoding data takes about 100 MB once imported: the gazetteer copies the North American
    # prefixes at build time, and reading an article with a phone number must not import that data
    import subprocess
    import sys

    code = ("import sys\n"
            "from sitrep.gazetteer import shared\n"
            "from sitrep.pipeline.phones import phone_places\n"
            "print([p.city for p in phone_places('Call London police at 519-661-5670.', shared())],\n"
            "      'phonenumbers.geodata' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['London'] False"


def test_a_lone_namesake_abroad_is_no_reading(extract_text):
    # the gazetteer's only "Heathrow" is a hamlet in Florida; every other name here is in England
    text = ("Fog closed runways at Heathrow and Gatwick on Friday. Passengers in London, Manchester, Leeds and "
            "Bristol faced delays.")
    places = extract_text(text, layout="body")["places"]
    countries = {m["text"]: p["country_code"] for p in places for m in p["mentions"]}
    assert countries.get("London") == "GB"
    assert countries.get("Heathrow", "GB") == "GB"


@pytest.mark.parametrize(("text", "name", "country"), [
    ("Cases of cholera were confirmed in Senegal, Guinea-Bissau and Mali this week.", "Guinea-Bissau", "GW"),
    ("Children in camps near Goz Beida were suffering from acute malnutrition, the agency said.", "Goz Beida", "TD"),
])
def test_a_name_the_recogniser_cut_short_is_read_whole(extract_text, text, name, country):
    assert place_of(extract_text, text, name)["country_code"] == country


@pytest.mark.parametrize(("text", "name"), [
    ("Health officials in Sao Paulo reported 40 new cases of dengue on Tuesday.", "Sao Paulo"),
    ("Two million pilgrims gathered in Mecca for the hajj on Friday.", "Mecca"),
])
def test_a_big_city_is_what_its_subdivisions_shared_name_means(extract_text, text, name):
    assert place_of(extract_text, text, name)["feature"] == "city"


def test_a_province_abbreviation_split_from_its_period_still_qualifies(extract_text):
    text = "She was born in Churchill, Man. her parents did not know if she would live."
    places = extract_text(text, layout="body")["places"]
    by_text = {m["text"]: p for p in places for m in p["mentions"]}
    assert by_text["Man."]["admin1"] == "CA.03"
    assert by_text["Churchill"]["country_code"] == "CA"


def test_a_centre_inside_an_organisation_name_is_not_a_town(extract_text):
    text = ("Researchers at the University of Michigan Center for Computer Security and Society said the "
            "machines could be hacked.")
    places = extract_text(text, layout="body")["places"]
    assert [(p["feature"], p["admin1"]) for p in places] == [("admin1", "US.MI")]


def test_a_town_the_gazetteer_lacks_falls_back_to_its_spelled_out_state(extract_text):
    text = "The car left the road two miles south of Holliday, Missouri, and struck a tree, police said."
    assert place_of(extract_text, text, "Holliday")["admin1"] == "US.MO"


def test_located_in_says_which_state(extract_text):
    text = "Samples came from wild ducks in Crawford County located in Pennsylvania, officials said."
    assert place_of(extract_text, text, "Crawford County")["admin1"] == "US.PA"


def test_two_names_whose_namesakes_lie_side_by_side_read_together(extract_text):
    # no state is named: Paris and Henry County are both in Tennessee, their other namesakes far apart
    text = ("A Paris man was arrested on Sunday at Paris City Hall, police said. He was taken to the Henry County "
            "jail, where he remained on Monday.")
    paris = place_of(extract_text, text, "Paris")
    henry = place_of(extract_text, text, "Henry County")
    assert (paris["country_code"], paris["admin1"], henry["admin1"]) == ("US", "US.TN", "US.TN")


def test_a_state_named_elsewhere_pulls_a_hamlet_less_than_the_big_namesake(extract_text):
    # Boston, New York is a town of 8,000; naming New York elsewhere does not make "Boston" that town
    text = ("Flu cases rose sharply in New York, Texas and California this week. The Mayor of Boston declared a "
            "flu emergency for the city on Wednesday.")
    assert place_of(extract_text, text, "Boston")["admin1"] == "US.MA"


def test_the_x_naming_only_hamlets_is_a_building_not_a_town(extract_text):
    # the gazetteer's "White House" towns are small; "the White House" is the building
    text = "The president receives a turkey in a ceremony at the White House a few days before the holiday."
    names = {m["text"] for p in extract_text(text, layout="body")["places"] for m in p["mentions"]}
    assert "White House" not in names
    # a town named with "the" before a noun is still the town: "the Jenin camp"
    text = "Troops raided the Jenin camp in the north of the West Bank on Monday."
    assert "Jenin" in {m["text"] for p in extract_text(text, layout="body")["places"] for m in p["mentions"]}


def test_a_big_city_the_recogniser_took_for_a_group_of_people_is_a_place(extract_text):
    # the small model tags "eastern Aleppo" as NORP (a nationality or group); a city of a million is a place
    text = "The ceasefire for eastern Aleppo collapsed within a day, the monitors said."
    places = extract_text(text, layout="body")["places"]
    assert [(p["country_code"], [m["text"] for m in p["mentions"]]) for p in places] == [("SY", ["Aleppo"])]


def test_a_named_side_of_a_place_lies_on_that_side(extract_text):
    text = "A tree fell on a wedding party at a Southern California park on Saturday, officials in Los Angeles said."
    south = place_of(extract_text, text, "Southern California")
    assert south["feature"] == "region" and south["lat"] < 35.5  # California's own point is at 36.7 N
    text = "Shelling in Eastern Ukraine forced 3,000 people from their homes, officials in Kyiv said."
    east = place_of(extract_text, text, "Eastern Ukraine")
    assert east["lon"] > 33.0  # Ukraine's own point is at 32 E


@pytest.mark.parametrize(("text", "name", "lat", "lon"), [
    ("Flooding in South West England closed 40 schools on Monday, the Environment Agency said.",
     "South West England", 51.0, -3.2),  # the south-west quarter, not "South West" (a region of Cameroon)
    ("Tornadoes damaged 200 homes across Southwestern Ontario on Sunday, police said.", "Southwestern Ontario",
     43.0, -81.2),  # near London, Ontario; the province's own point is 900 km north
])
def test_a_named_quarter_of_a_place_lies_in_that_quarter(extract_text, text, name, lat, lon):
    from sitrep.gazetteer import distance_km

    quarter = place_of(extract_text, text, name)
    assert quarter["feature"] == "region" and quarter["country_code"] in {"GB", "CA"}
    assert distance_km((quarter["lat"], quarter["lon"]), (lat, lon)) < 150


@pytest.mark.parametrize(("text", "name"), [
    ("Migratory birds on the Pacific side of the Americas in Alaska are tested every autumn.", "Americas"),
    ("The virus is also present in the Indian Ocean in Seychelles and in Mayotte, officials said.",
     "Indian Ocean"),
])
def test_a_region_across_borders_lies_in_no_place_the_text_names_after_it(extract_text, text, name):
    region = place_of(extract_text, text, name)
    assert region["feature"] == "region" and region["country_code"] is None


@pytest.mark.parametrize(("text", "name", "country", "lat", "lon"), [
    # former provinces the news still names, islands and conflict regions: the mean of their subdivisions
    ("Militias clashed with the army in Katanga in 2013, forcing 50,000 people from their homes.", "Katanga",
     "CD", -9.0, 26.7),
    ("LRA rebels attacked villages in Province Orientale in 2009, displacing 200,000 people.", "Orientale", "CD",
     2.3, 27.2),
    ("Unrest spread across Casamance and Mindanao, officials said.", "Mindanao", "PH", 7.7, 124.6),
    ("Typhoon Haiyan made landfall south of Luzon, where 800,000 people were evacuated.", "Luzon", "PH",
     15.6, 121.4),
    ("Drought in Somaliland left 1.5 million people in need of aid, the UN said.", "Somaliland", "SO", 9.7, 45.7),
    ("Post-election violence in the Rift Valley displaced 300,000 people in 2008.", "Rift Valley", "KE",
     0.4, 35.8),
])
def test_a_region_made_of_subdivisions_is_found_at_their_middle(extract_text, text, name, country, lat, lon):
    from sitrep.gazetteer import distance_km

    region = place_of(extract_text, text, name)
    assert region["country_code"] == country
    assert distance_km((region["lat"], region["lon"]), (lat, lon)) < 100


def test_a_hyphen_and_a_space_spell_a_name_alike(extract_text):
    text = "Storms in the Grand Est region left 12,000 homes without power, the prefecture said."
    region = place_of(extract_text, text, "Grand Est")
    assert (region["country_code"], region["admin1"], region["feature"]) == ("FR", "FR.44", "admin1")


def test_a_capital_is_the_capital_when_the_text_names_its_country(extract_text):
    # a Kentucky paper's story: Kentucky votes for Paris, Ky., but the story names France
    text = ("LEXINGTON, Ky. - A nurse from Pikeville is stranded in France after a strike closed the airports. "
            "She said the streets of Paris were calm on Friday; her family in Lexington and Frankfort is "
            "trying to book her a flight home.")
    paris = place_of(extract_text, text, "Paris")
    assert (paris["country_code"], paris["feature"]) == ("FR", "city")


@pytest.mark.parametrize(("text", "name", "count"), [
    ("Lakeland will have to pay the builder for the bridge. A judge ruled Monday that Lakeland taxpayers owe "
     "the firm $2 million. The bridge in Lakeland opened in 2019.", "Lakeland", 3),
    ("Danbury mason charged with assault. TORRINGTON — A Danbury stonework mason was arraigned on Friday. He has "
     "lived in Danbury since 2001.", "Danbury", 2),
])
def test_a_name_read_as_a_place_later_in_the_text_is_a_place_earlier_too(extract_text, text, name, count):
    place = place_of(extract_text, text, name)
    assert len(place["mentions"]) == count


def test_a_disease_named_after_a_place_is_not_a_place_mention(extract_text):
    text = ("An outbreak of Rift Valley fever killed 40 people in Kenya, the health ministry said. The United "
            "States flu season started early.")
    places = extract_text(text, layout="body")["places"]
    assert sorted(m["text"] for p in places for m in p["mentions"]) == ["Kenya", "United States"]


def test_a_failed_gazetteer_build_leaves_no_half_built_file(tmp_path, monkeypatch):
    from sitrep import gazetteer

    def fail(tmp):
        tmp.write_bytes(b"half")
        raise OSError("No space left on device")

    monkeypatch.setattr(gazetteer, "_write", fail)
    with pytest.raises(OSError):
        gazetteer.build(tmp_path / "gazetteer.sqlite")
    assert list(tmp_path.iterdir()) == []
