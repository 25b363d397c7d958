"""Telephone numbers as a clue to where an article is from: a local paper prints local numbers.

A North American number's area code names a state or province, often a city ("London, ON",
"Huntington, WV"); the :mod:`phonenumbers` package carries that table, which the gazetteer copies at build
time (:meth:`sitrep.gazetteer.Gazetteer.phone_area`). Toll-free and national
numbers name nowhere and are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sitrep import gazetteer as gz

# A cheap first pass: "519-661-5670", "(304) 399-6500", "806.423.1253"; phonenumbers then checks it.
_NANP = re.compile(r"(?<![\d-])\(?[2-9]\d{2}\)?[-. ]?[2-9]\d{2}[-. ]\d{4}(?![\d-])")
MAX_NUMBERS = 20  # per article: enough to say where it is from


@dataclass(frozen=True)
class PhonePlace:
    """Where a number's area code lies: a first-level subdivision, and a city when the code names one."""
    admin1: gz.Place
    city: str | None = None


def phone_places(text: str, gaz: gz.Gazetteer) -> list[PhonePlace]:
    """The places the article's telephone numbers point to, one per distinct place, in text order."""
    hits = _NANP.findall(text)
    if not hits:
        return []
    import phonenumbers

    out: dict[PhonePlace, None] = {}
    for raw in hits[:MAX_NUMBERS]:
        try:
            number = phonenumbers.parse(raw, "US")
        except phonenumbers.NumberParseException:
            continue
        if not phonenumbers.is_valid_number(number):
            continue
        region = phonenumbers.region_code_for_number(number)
        where = gaz.phone_area(f"{number.country_code}{number.national_number}") if number.country_code == 1 else None
        place = _place(where, region, gaz) if region and where else None
        if place is not None:
            out.setdefault(place)
    return list(out)


def _place(description: str, region: str, gaz: gz.Gazetteer) -> PhonePlace | None:
    """ "London, ON" -> Ontario and London; "Texas" -> Texas; "Washington D.C." -> the District."""
    city, _, abbrev = description.rpartition(", ")
    if city and len(abbrev) == 2 and abbrev.isupper():
        admin1 = gaz.subdivision_by_iso(f"{region}-{abbrev}")
        return PhonePlace(admin1, city) if admin1 is not None else None
    admin1 = gaz.subdivision_named(region, description) or gaz.abbreviation(description)
    return PhonePlace(admin1) if admin1 is not None else None
