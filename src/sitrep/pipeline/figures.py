"""Figures: every humanitarian or conflict figure with its range, category, unit, place, source
and modality. Ages, dates, durations, magnitudes, measures, unrelated money, section headings and
related-story links are not figures."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from sitrep.pipeline import ext
from sitrep.pipeline.numbers import Number, scan
from sitrep.pipeline.places import ResolvedPlace, anaphoric_places
from sitrep.pipeline.quotes import CUES as SPEECH_CUES

# Category cues by lemma, in priority order: what happened to people beats who they are.
EVENT_CUES: list[tuple[str, set[str]]] = [
    ("killed", {"kill", "die", "dead", "death", "fatality", "toll", "slay", "massacre", "murder", "execute",
                "perish", "drown", "body", "corpse", "behead", "fatal", "fatally", "lose", "claim"}),
    ("injured", {"injure", "wound", "hurt", "injury", "injured", "wounded", "maim"}),
    ("missing", {"missing", "unaccounted", "disappear"}),
    ("kidnapped", {"kidnap", "abduct", "hostage", "abduction", "kidnapping"}),
    ("detained", {"detain", "arrest", "detainee", "prisoner", "jail", "imprison", "custody", "round"}),
    ("evacuated", {"evacuate", "evacuated", "evacuation", "evacuee", "rescue", "relocate", "relocated",
                   "relocation"}),
    ("refugees", {"refugee", "asylum", "asylum-seeker"}),
    ("returnees", {"return", "returnee", "repatriate", "deport", "deportee"}),
    ("displaced", {"displace", "displaced", "displacement", "flee", "uproot", "idp", "idps", "drive", "force",
                   "escape", "leave", "cross", "refuge"}),
    ("homeless", {"homeless", "homelessness", "lose"}),
    ("sheltered", {"shelter", "camp", "house", "accommodate", "host"}),
    ("sick", {"case", "sicken", "infect", "infection", "sick", "ill", "hospitalise", "hospitalize", "patient",
              "symptom", "contract", "test", "outbreak", "suspected"}),
    ("in_need", {"need", "require", "assistance", "insecure", "hunger", "starvation", "famine", "aid"}),
    ("affected", {"affect", "impact", "hit", "stricken"}),
]
CUES = dict(EVENT_CUES)
NOUN_CATEGORY = {
    "refugee": "refugees", "returnee": "returnees", "idp": "displaced", "idps": "displaced", "evacuee": "evacuated",
    "fighter": "fighters", "militant": "fighters", "insurgent": "fighters", "rebel": "fighters",
    "jihadist": "fighters", "gunman": "fighters", "combatant": "fighters", "militiaman": "fighters",
    "recruit": "fighters", "troop": "troops", "soldier": "troops", "force": "troops", "personnel": "troops",
    "peacekeeper": "troops", "policeman": "troops", "police": "troops", "reservist": "troops", "death": "killed",
    "fatality": "killed", "body": "killed", "dead": "killed", "case": "sick", "patient": "sick",
    "detainee": "detained", "prisoner": "detained", "hostage": "kidnapped", "population": "population",
    "inhabitant": "population", "resident": "population", "territory": "territory", "casualty": "killed",
}
NOUN_FIRST = {"case", "death", "fatality", "body", "casualty", "territory", "patient", "hostage", "detainee"}
PEOPLE_NOUNS = {"people", "person", "civilian", "child", "children", "woman", "women", "man", "men", "family",
                "household", "individual", "resident", "inhabitant", "villager", "student", "worker", "migrant",
                "girl", "boy", "citizen", "member", "pilgrim", "passenger", "farmer", "infant", "baby", "adult",
                "survivor", "victim", "soul", "life", "elderly", "minor", "teenager", "youth", "voter",
                "protester", "demonstrator", "herder", "miner", "fisherman", "doctor", "nurse", "staff",
                "official", "journalist", "others", "who", "more"}
HOUSE_NOUNS = {"house", "home", "building", "dwelling", "shelter", "structure", "hut", "homestead",
               "housing", "tent", "apartment", "school", "hospital", "village", "shop"}
DESTROY = {"destroy", "flatten", "raze", "collapse", "wash", "level", "burn", "sweep", "demolish", "torch",
           "obliterate", "destroyed", "razed", "destruction", "bury", "buried", "collapsed", "gut", "gutted"}
DAMAGE = {"damage", "partially", "crack", "damaged", "uninhabitable", "submerge", "flood", "inundate"}
TIME_UNITS = {"year", "years", "month", "months", "week", "weeks", "day", "days", "hour", "hours", "minute",
              "minutes", "decade", "decades", "second", "seconds", "century", "night", "nights", "am", "pm",
              "a.m.", "p.m.", "o'clock", "yr", "yrs", "hrs", "mins"}
MEASURES = {"mm", "cm", "km", "kilometres", "kilometers", "kilometre", "kilometer", "miles", "mile", "metres",
            "meters", "metre", "meter", "m", "ft", "feet", "inches", "inch", "kg", "kilograms", "tonnes", "tons",
            "tonne", "litres", "liters", "degrees", "°c", "°f", "hectares", "hectare", "acres", "sq", "square",
            "kph", "mph", "km/h", "millimetres", "millimeters", "centimetres", "magnitude", "richter", "gallons",
            "barrels", "calories", "doses", "vaccines", "vials", "trucks", "lorries", "vehicles", "points",
            "votes", "seats", "rounds", "rockets", "missiles", "drones", "shells", "bombs", "times", "steps"}
MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
          "dec"}
CURRENCY = {"$", "us$", "€", "£", "usd", "dollars", "dollar", "euros", "euro", "pounds", "francs", "shillings",
            "naira", "rupees", "birr", "yen", "yuan", "rand", "dirhams", "riyals"}
AID_WORDS = {"aid", "appeal", "fund", "funding", "humanitarian", "donor", "pledge", "assistance", "relief",
             "donate", "donation", "response", "plan", "grant", "allocate", "allocation", "release", "emergency"}
POSSIBLE = {"could", "may", "might", "possibly", "potentially", "perhaps", "if", "risk", "can"}
EXPECTED_AUX = {"will", "shall", "'ll"}
EXPECTED_LEMMAS = {"expect", "plan", "project", "forecast", "predict", "likely", "anticipate", "intend",
                   "set", "schedule", "aim", "prepare", "going"}
NEGATION = {"not", "n't", "never", "no"}
REFERENCE_NOUNS = {"number", "figure", "toll", "total", "count", "tally"}
# places people are counted in, not people: "1,537 relief camps", "13 evacuation centres"
FACILITY_NOUNS = {"camp", "centre", "center", "site"}
WEAK = {"population"}  # who people are, not what happened to them: any event in the clause beats it
# "moved to safer places", "shifted to higher ground": a precautionary move is an evacuation
MOVE_VERBS = {"move", "shift", "transfer", "take", "bring", "relocate", "ferry", "airlift", "carry"}
SAFETY_WORDS = {"safety", "safe", "safer", "higher", "high", "ground", "secure"}
# clearly displacement words, for an event noun or a verb far from its number
STRONG_DISPLACEMENT = {"evacuation", "evacuate", "relocation", "relocate", "displacement", "displace", "flee",
                       "destruction", "destroy"}


NON_COUNTS = {
    # places and units that are counted but are not people or houses
    "country", "nation", "territory", "province", "state", "district", "county", "city", "region", "site",
    "kilo", "kilogram", "kg", "gram", "ton", "tonne", "litre", "liter", "gallon", "bag", "sack", "barrel",
    "hectare", "acre", "dose", "vaccine", "test", "sample", "bed", "truck", "lorry", "vehicle", "flight",
    "meal", "ration", "kit", "dollar", "euro", "pound", "percent", "point", "vote", "seat", "page",
    # animals: livestock losses are not counts of people
    "pig", "hog", "swine", "bird", "chicken", "poultry", "fowl", "duck", "cattle", "cow", "goat", "sheep",
    "animal", "livestock", "dog", "camel", "horse", "donkey", "fish", "bat", "mosquito", "head", "herd",
    "dromedary",
}
# equipment taken or destroyed in a fight ("seven motorcycles were recovered"), but "tank crews" are people
EQUIPMENT = {"equipment", "motorcycle", "motorbike", "bicycle", "carrier", "tank", "weapon", "gun", "rifle", "car",
             "boat", "aircraft", "plane", "helicopter", "ammunition", "magazine", "cartridge", "launcher", "drone"}


def _not_people(noun: Token) -> bool:
    lemma = noun.lemma_.lower()
    if lemma in NON_COUNTS or lemma in EQUIPMENT:
        return True
    if lemma in {"unit", "piece", "item"} and any(  # "80 units of military equipment"
            g.lemma_.lower() in NON_COUNTS | EQUIPMENT for c in noun.children if c.lower_ == "of"
            for g in c.children):
        return True
    return any(c.lemma_.lower() in NON_COUNTS - {"head", "state", "city", "territory"} and c.dep_ in {"compound",
                                                                                                     "amod"}
               for c in noun.children)


@dataclass
class Figure:
    category: str
    low: float | None
    high: float | None
    approximate: bool
    unit: str
    text: str
    start: int
    end: int
    place: ResolvedPlace | None
    source: str | None
    modality: str
    sentence: str
    token: int
    date: str | None = None


HARM_VERBS = {"kill", "wound", "injure", "shoot", "attack", "abduct", "kidnap", "murder", "behead", "execute",
              "arrest", "detain", "rape", "torture", "beat", "stab", "lynch", "hack", "ambush", "massacre"}


def _agent_of_harm(t: Token) -> bool:
    """The subject of an act done to someone else ('two gunmen shot dead a sergeant', 'six men attacked and
    killed a man'): those counted did it, it was not done to them."""
    if t.dep_ != "nsubj" or t.head.pos_ != "VERB":
        return False
    verbs = [t.head, *(c for c in t.head.children if c.dep_ == "conj" and c.pos_ == "VERB"
                       and not any(cc.dep_ in {"nsubj", "nsubjpass"} for cc in c.children))]
    return any(v.lemma_.lower() in HARM_VERBS for v in verbs) and \
        any(c.dep_ == "dobj" for v in verbs for c in v.children)


def _lemmas(tokens) -> set[str]:
    out = set()
    for t in tokens:
        out.add(t.lemma_.lower())
        out.add(t.lower_)
    return out


def _ancestors_until_clause(token: Token, stop: set[str]) -> list[Token]:
    chain = []
    t = token
    while t.head.i != t.i:
        t = t.head
        chain.append(t)
        if t.lemma_ in stop:
            break
    return chain


def _referent(token: Token) -> Token:
    """'the number of displaced families' counts families."""
    if token.lemma_.lower() in REFERENCE_NOUNS:
        for c in token.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                obj = next((p for p in c.children if p.dep_ == "pobj"), None)
                if obj is not None:
                    return obj
    return token


HARMED_CATEGORIES = {"killed", "injured", "kidnapped", "missing", "detained"}
CURRENCY_CODES = {"$": "usd", "us$": "usd", "usd": "usd", "dollar": "usd", "dollars": "usd", "€": "eur",
                  "eur": "eur", "euro": "eur", "euros": "eur", "£": "gbp", "gbp": "gbp", "pound": "gbp",
                  "pounds": "gbp", "chf": "chf"}
CURRENCY_OF = {("swiss", "francs"): "chf", ("cfa", "francs"): "xof", ("kenyan", "shillings"): "kes",
               ("canadian", "dollars"): "cad", ("australian", "dollars"): "aud"}


def _currency(doc: Doc, num) -> str:
    """The currency of a money figure: "usd" for "$5 million", "chf" for "1.2 million Swiss francs"; the
    currency word itself when we know no code for it; "usd" when only the recogniser said MONEY."""
    for t in doc[max(0, num.start - 1):min(len(doc), num.end + 2)]:
        low = t.lower_
        if low in CURRENCY or low in CURRENCY_CODES:
            prev = doc[t.i - 1].lower_ if t.i > 0 else ""
            return CURRENCY_OF.get((prev, low)) or CURRENCY_CODES.get(low, low)
    return "usd"


def _tree_distance(a: Token, b: Token) -> int:
    pa = [a, *a.ancestors]
    pb = [b, *b.ancestors]
    ia = {t.i: n for n, t in enumerate(pa)}
    for n, t in enumerate(pb):
        if t.i in ia:
            return ia[t.i] + n
    return 50 + abs(a.i - b.i)


@Language.factory("sitrep_figures_v1", assigns=["doc._.figures"],
                  requires=["doc._.quotes", "doc._.places", "doc._.actors", "doc._.dates"])
def make_figures(nlp: Language, name: str) -> FiguresComponent:
    return FiguresComponent()


class FiguresComponent:
    def __call__(self, doc: Doc) -> Doc:
        structure = doc._.blocks
        figures: list[Figure] = []
        self._place_index(doc)
        # a text of one line (an excerpt, a table cell) has no section headings: its line is the claim
        lone = structure is not None and len(structure.blocks) == 1
        for sent in doc.sents:
            kind = structure.kind(sent.start_char) if structure is not None else "paragraph"
            if kind == "related" or kind == "heading" and not lone:
                continue
            in_sentence: list[Figure] = []
            for num in scan(doc, sent.start, sent.end):
                fig = self._figure(doc, sent, num, in_sentence, figures)
                if fig is not None:
                    in_sentence.append(fig)
            ref = self._by_reference(doc, sent, figures + in_sentence)
            if ref is not None:
                in_sentence.append(ref)
            if in_sentence:
                date = self._date(doc, sent)
                for fig in in_sentence:
                    fig.date = date
            figures.extend(in_sentence)  # headline figures the body restates are dropped below
        doc._.figures = _drop_restated(doc, figures)
        return doc

    # -- place -----------------------------------------------------------------------------
    def _place_index(self, doc: Doc) -> None:
        self._mentions: list[tuple[int, int, ResolvedPlace]] = []
        for place in doc._.places or ():
            for m in place.mentions:
                self._mentions.append((m.token_start, m.token_end, place))
        self._mentions.sort(key=lambda x: x[0])

    def _place(self, doc: Doc, sent: Span, anchor: Token, harmed: bool = False) -> ResolvedPlace | None:
        structure = doc._.blocks
        cands: list[tuple[float, ResolvedPlace]] = []
        for s, e, place in self._mentions:
            if sent.start <= s < sent.end and not _speaker(doc[s:e]):
                if harmed and any(a.dep_ == "prep" and a.lower_ in {"to", "into"}
                                  for a in list(doc[s:e].root.ancestors)[:3]):
                    continue  # "wounded and taken to X hospital": where they were taken, not where it happened
                cands.append((_tree_distance(anchor, doc[e - 1]), place))
        for t, prior in anaphoric_places(doc, sent, self._mentions):  # "the city": named before
            cands.append((_tree_distance(anchor, t), prior))
        # demonyms: "Ten million Iraqis"
        gaz = None
        for t in sent:
            if t.i + 1 < len(doc) and doc[t.i + 1].lower_ in CURRENCY:
                continue  # "1.2 million Swiss francs": a currency, not a place
            if t.text[:1].isupper() and t.pos_ in {"PROPN", "ADJ", "NOUN"} and not any(s <= t.i < e for s, e, _ in
                                                                                     self._mentions):
                if gaz is None:
                    from sitrep import gazetteer as gz
                    gaz = gz.shared()
                cc = gaz.demonym(t.text)
                if cc:
                    country = gaz.country(cc)
                    if country is not None:
                        rp = next((p for _, _, p in self._mentions if p.place.geonameid == country.geonameid),
                                  None) or ResolvedPlace(country)
                        cands.append((_tree_distance(anchor, t) + 1.5, rp))
        if cands:
            cands.sort(key=lambda c: c[0])
            return cands[0][1]
        if any(e.label_ in {"GPE", "LOC"} and e.root.dep_ == "pobj" and e.root.head.lower_ in {"in", "at", "near"}
               for e in ext.sent_ents(doc, sent)):
            return None  # "in Kamituga", a place the gazetteer does not know: not the place named before
        prior = [p for s, e, p in self._mentions if s < sent.start and not _speaker(doc[s:e]) and
                 (structure is None or structure.kind(doc[s].idx) not in {"related", "heading"})]
        if prior:
            return prior[-1]
        # nothing named yet: the first place named later in the same paragraph ("... 1,057 people had to leave.
        # Most of those displaced are in the canton of X.")
        block = structure.at(sent.start_char) if structure is not None else None
        later = [p for s, e, p in self._mentions if s >= sent.end and (
            block is None and doc[s].sent.start == sent.start or block is not None and block.start <= doc[s].idx
            < block.end)]
        if not later and block is not None and block.kind in {"headline", "standfirst"}:
            # "Kharkiv industrial zone hit by shelling, one dead": the headline's place is the story's first one
            later = [p for s, e, p in self._mentions if s >= sent.end and structure.is_claim(doc[s].idx)]
        return later[0] if later else None

    # -- one figure ------------------------------------------------------------------------
    def _figure(self, doc: Doc, sent: Span, num: Number, in_sentence: list[Figure],
                previous: list[Figure]) -> Figure | None:
        if self._excluded(doc, num):
            return None
        head = doc[num.num_end - 1]
        noun = self._counted_noun(doc, num, sent)
        if noun is not None and _not_people(noun) and not num.share and noun.lower_ not in CURRENCY:
            return None  # "214 countries", "3,000 kilos", "4,000 dead wild birds", "270 swine deaths"
        unit, category = self._category(doc, sent, num, noun, head)
        if num.share and in_sentence and noun is not None and noun.lemma_ in {"population", "total", "people"}:
            category = in_sentence[-1].category  # "3 million displaced, about one-tenth of the population"
        if category is None and num.share and in_sentence:
            category = in_sentence[-1].category
        if category is None:
            category = self._inherited(doc, sent, previous, noun)
        if category is None:
            return None
        _bound_by_superlative(doc, sent, num)
        anchor = noun or head
        place = self._place(doc, sent, anchor, harmed=category in HARMED_CATEGORIES)
        source = self._source(doc, num)
        modality = self._modality(doc, head, noun)
        start, end = doc[num.start].idx, doc[num.end - 1].idx + len(doc[num.end - 1].text)
        return Figure(category, num.low, num.high, num.approximate, unit, doc[num.start:num.end].text, start, end,
                      place, source, modality, sent.text.strip(), head.i)

    def _excluded(self, doc: Doc, num: Number) -> bool:
        first, last = doc[num.num_start], doc[num.num_end - 1]
        nxt = doc[num.end] if num.end < len(doc) else None
        prev = doc[num.start - 1] if num.start > 0 else None
        text = first.text  # "1,900 cases" is a count; "1900" alone may be a year
        if num.share:
            return False
        if prev is not None and prev.lower_ in {"was", "is", "aged"} and num.start >= 2 and (
                doc[num.start - 2].lower_ in {"who", "he", "she"} or doc[num.start - 2].ent_type_ == "PERSON"):
            return True  # "Jacqueline Fleming, who was 38, ..."
        if prev is not None and prev.text == "," and num.start >= 2 and (
                doc[num.start - 2].ent_type_ == "PERSON" or doc[num.start - 2].pos_ == "PROPN") \
                and nxt is not None and nxt.text == "," and num.num_end - num.num_start == 1 \
                and num.low is not None and num.low < 120:
            return True  # "Campbell, 42, was ..."
        if last.lower_ == "one" and nxt is not None and nxt.lower_ in {"another", "other"}:
            return True  # "from one another"
        # years, dates and times
        if text.isdigit() and len(text) == 4 and 1800 <= int(text) <= 2100 and num.num_end - num.num_start == 1:
            if not (nxt is not None and nxt.lemma_ in PEOPLE_NOUNS | HOUSE_NOUNS | set(NOUN_CATEGORY)):
                return True
        counted = nxt is not None and nxt.lemma_ in PEOPLE_NOUNS | HOUSE_NOUNS | set(NOUN_CATEGORY)
        if (prev is not None and prev.lower_ in MONTHS) or (nxt is not None and nxt.lower_ in MONTHS):
            return True
        if prev is not None and prev.lower_.endswith(".") and prev.lower_[:-1] in MONTHS and not counted:
            return True  # "Feb. 28", but not "del Mar. 1 fatality"
        if nxt is not None and (nxt.lower_ in TIME_UNITS or nxt.lower_.rstrip("s") in TIME_UNITS):
            return True
        if nxt is not None and nxt.text == "-" and num.end + 1 < len(doc) and \
                doc[num.end + 1].lower_ in TIME_UNITS | {"year-old", "old"}:
            return True
        if nxt is not None and (nxt.lower_ in MEASURES or nxt.lower_.startswith("-magnitude")):
            return True
        # a unit's or a road's designation: "LIB 250", "LIB-274"
        name = doc[num.start - 2] if prev is not None and prev.text == "-" and num.start >= 2 else prev
        if name is not None and name.is_upper and name.is_alpha and not counted and num.num_end - num.num_start == 1 \
                and (name is not prev or len(prev.text) >= 2 and prev.i == num.num_start - 1):
            return True
        if prev is not None and prev.lower_ in {"aged", "age", "magnitude", "ages", "no.",
                                                "route", "highway", "resolution", "article", "page", "#", "grade",
                                                "level", "category", "phase", "chapter", "covid"}:
            return True
        if num.start != num.num_start and num.start > 0 and doc[num.start].lower_ in {"under", "over", "below",
                                                                                      "above"}:
            if doc[num.start - 1].lemma_ in {"child", "kid", "baby", "infant", "those", "people", "adult", "age",
                                             "girl", "boy", "aged"}:
                return True  # "children under 5" is an age
        window = [t.lower_ for t in doc[max(0, num.start - 3):num.start]]
        if "magnitude" in window or "richter" in window:
            return True
        if first.ent_type_ in {"TIME", "ORDINAL"}:
            return True
        if first.ent_type_ == "DATE" and (text.isdigit() and len(text) == 4) and not (
                nxt is not None and nxt.lemma_ in PEOPLE_NOUNS | HOUSE_NOUNS | set(NOUN_CATEGORY)):
            return True  # "in 2015" is a year; "1057 people" is a count the tagger took for one
        if text.isdigit() and len(text) == 4 and 1900 <= int(text) <= 2100 and nxt is not None and \
                nxt.dep_ == "compound" and nxt.head.i > nxt.i and prev is not None and \
                prev.lower_ in {"the", "this", "its", "their", "his", "her", "our", "whose"}:
            return True  # "the 2024 refugee response plan": a year naming the plan
        # money: only aid money is a figure (category funding)
        if (prev is not None and prev.lower_ in CURRENCY) or (nxt is not None and nxt.lower_ in CURRENCY) \
                or first.ent_type_ == "MONEY":
            sent_words = _lemmas(first.sent)
            return not (sent_words & AID_WORDS)
        if last.lower_ in {"one", "1"} and num.low == num.high == 1 and num.start == num.num_start:
            # "one of the...", "one person" is fine; "one" as a pronoun is not
            if nxt is not None and nxt.lower_ in {"of", "another", ",", "."}:
                return True
        return False

    def _counted_noun(self, doc: Doc, num: Number, sent: Span) -> Token | None:
        k = num.end
        # "Millions of civilians", "dozens of people", "one-tenth of the population"
        if k + 1 < sent.end and doc[k].lower_ == "of":
            j = k + 1
            while j < sent.end and doc[j].pos_ in {"DET", "ADJ", "NUM", "PRON"} | {"PUNCT"} and j - k < 5:
                j += 1
            if j < sent.end and doc[j].pos_ in {"NOUN", "PROPN"}:
                while j + 1 < sent.end and doc[j + 1].pos_ in {"NOUN"} and doc[j + 1].dep_ == "compound" or (
                        j + 1 < sent.end and doc[j].dep_ == "compound"):
                    j += 1
                return doc[j]
        # "30,000 forces", "half a million people", "1,200 displaced households"
        j = k
        while j < sent.end and j - k < 4 and (doc[j].pos_ in {"ADJ", "VERB", "PROPN", "ADV"} and
                                              doc[j].dep_ in {"amod", "compound", "advmod", "nmod"}
                                              or doc[j].text == "-"):
            j += 1
        if j < sent.end and doc[j].pos_ in {"NOUN", "PROPN"} and doc[j].lower_ not in MONTHS:
            while j + 1 < sent.end and doc[j + 1].pos_ == "NOUN" and doc[j].dep_ == "compound":
                j += 1
            # "25,000 mud-and-thatch homes": a modifier's head a few words on is the counted noun
            while doc[j].dep_ in {"compound", "amod", "nmod"} and 0 < doc[j].head.i - j <= 6 and \
                    doc[j].head.pos_ == "NOUN" and doc[j].head.i < sent.end:
                j = doc[j].head.i
            return doc[j]
        head = doc[num.num_end - 1]
        if head.dep_ == "nummod" and head.head.pos_ in {"NOUN", "PROPN"}:
            return head.head
        # "100,000 to 120,000 - the number of people that were forced out": a definition after a dash
        if k + 1 < sent.end and doc[k].text in {"-", "\u2013", "\u2014", ":"}:
            j = k + 1
            while j < sent.end and doc[j].pos_ == "DET":
                j += 1
            if j < sent.end and doc[j].lemma_.lower() in REFERENCE_NOUNS:
                return _referent(doc[j])
        # "Fighters ... are thought to number in the thousands": the subject of "number"
        for anc in _ancestors_until_clause(head, {"number", "total", "reach", "stand", "rise", "climb", "be"}):
            if anc.lemma_ == "number" and anc.head.dep_ == "relcl" and anc.head.head.pos_ in {"NOUN", "PROPN"}:
                return anc.head.head  # "civilians, who he said number around two million"
            if anc.lemma_ in {"number", "total", "reach", "stand", "rise", "climb", "exceed", "be", "top", "hit"}:
                subj = next((c for c in anc.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
                if subj is None and anc.dep_ == "xcomp":
                    subj = next((c for c in anc.head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
                if subj is None and anc.dep_ == "relcl" or (subj is not None and subj.lower_ in {"who", "which",
                                                                                                 "that"}):
                    return anc.head if anc.dep_ == "relcl" else subj
                if subj is not None:
                    return _referent(subj)  # "the number of displaced families is estimated to be 349"
        return self._label_noun(doc, num, sent)

    def _label_noun(self, doc: Doc, num: Number, sent: Span) -> Token | None:
        """A table-like label before a number that ends its line: 'Damaged houses/shelter 91,808',
        'Evacuation total people: 3,614'. A label has nouns and no finite verb."""
        if not 0 < num.start - sent.start <= 6:
            return None
        if not all(t.is_punct for t in doc[num.end:sent.end]) and doc[num.end].text not in {"(", "["}:
            return None  # the number must end the line, or only a bracket may follow it
        if any(t.text == "," for t in doc[sent.start:num.start]):
            return None  # "The victim, also 14, ...": an apposition, not a label
        label = [t for t in doc[sent.start:num.start] if not t.is_punct]
        if not label or any(t.pos_ == "AUX" or t.tag_ in {"VBD", "VBZ", "MD"} for t in label):
            return None
        nouns = [t for t in label if t.pos_ == "NOUN"]
        counted = [t for t in nouns if t.lemma_.lower() in PEOPLE_NOUNS | HOUSE_NOUNS]
        return (counted or nouns or [None])[-1]

    def _category(self, doc: Doc, sent: Span, num: Number, noun: Token | None,
                  head: Token) -> tuple[str, str | None]:
        if _agent_of_harm(noun if noun is not None else head):  # "Four gunmen killed two farmers"
            return self._category_from(doc, sent, num, noun, set(), weak=True)
        own: list[Token] = [head, *doc[num.end:min(num.end + 4, sent.end)]]
        for base in (head, noun):
            if base is None:
                continue
            own.append(base)
            for c in base.children:
                if c.dep_ in {"amod", "relcl", "acl", "compound"}:
                    own.extend(c.subtree)
        wider: list[Token] = list(own)
        if noun is not None and noun.dep_ == "attr":  # "The smallest number we expect to flee is ..."
            wider.extend(t for c in noun.head.children if c.dep_ in {"nsubj", "nsubjpass"} for t in c.subtree)
        if noun is not None:
            wider.extend(t for c in noun.children if c.dep_ == "prep" for t in c.subtree)
            wider.append(noun.head)
            if noun.head.pos_ in {"VERB", "AUX", "ADJ"}:
                wider.extend(c for c in noun.head.children if c.dep_ in {"dobj", "prep", "acomp", "xcomp", "attr",
                                                                          "advmod", "agent", "neg"})
                wider.extend(t for c in noun.head.children if c.dep_ == "prep" for t in c.subtree)
                if noun.head.dep_ in {"xcomp", "ccomp", "conj"} and noun.head.head.lemma_ not in {"say", "tell"}:
                    wider.append(noun.head.head)
        wider.extend(_ancestors_until_clause(head, {"say", "tell", "estimate"})[:3])
        label = self._label_noun(doc, num, sent) if noun is not None and noun.i < num.start else None
        if label is not None and noun is not None and label.i == noun.i:
            own.extend(t for t in doc[sent.start:num.start] if not t.is_punct)  # "Damaged houses: 91,808"
        # the event the count takes part in: "the evacuation of 400 residents", "people sheltering in camps";
        # "affected" yields to a conjoined event ("were affected and evacuated")
        core, conj = self._core(head, noun)
        first = self._category_from(doc, sent, num, noun, _lemmas(core), weak=False) if core else ("", None)
        if first[1] is not None and first[1] != "affected":
            return first
        if conj:
            found = self._category_from(doc, sent, num, noun, _lemmas(core + conj), weak=False)
            if found[1] is not None and found[1] != "affected":
                return found
        if first[1] is not None:
            return first
        own_words = _lemmas(own)
        found = self._category_from(doc, sent, num, noun, own_words, weak=False)
        if found[1] is None:  # the governing verb: "sickened more than 1,900" beats a conjoined "killed"
            gov = (noun or head).head
            near = [gov, *(c for c in gov.children if c.dep_ in {"prt", "prep", "acomp", "advmod", "neg"})]
            near.extend(t for c in gov.children if c.dep_ == "prep" for t in c.subtree)
            found = self._category_from(doc, sent, num, noun, own_words | _lemmas(near), weak=False)
        if found[1] is None:
            found = self._category_from(doc, sent, num, noun, own_words | _lemmas(wider), weak=False)
        if found[1] is None:
            dangling = self._dangling_event(doc, sent, num, noun)
            if dangling is not None:
                found = self._category_from(doc, sent, num, noun, own_words | {dangling}, weak=False)
        if found[1] is None:
            found = self._category_from(doc, sent, num, noun, own_words | _lemmas(wider))
        if (found[1] is None or found[1] in WEAK) and (noun is None or noun.lemma_.lower() in PEOPLE_NOUNS):
            later = self._predicate_after(doc, sent, num)
            if later is not None:
                return found[0], later
        return found

    @staticmethod
    def _predicate_after(doc: Doc, sent: Span, num: Number) -> str | None:
        """When the parse loses a count's verb ('Some 189,800 residents living in sheds ... had moved to safer
        places'), a clear displacement verb later in the sentence, before any other number, is its event."""
        seen: set[str] = set()
        for t in doc[num.end:sent.end]:
            if t.like_num or t.text == ";":
                return None
            lemma = t.lemma_.lower()
            seen.add(lemma)
            if t.pos_ != "VERB":
                continue
            if lemma in MOVE_VERBS and any(c.lemma_.lower() in SAFETY_WORDS for c in t.subtree):
                return "evacuated"
            if lemma in STRONG_DISPLACEMENT - {"destroy", "destruction"}:
                return next(category for category, cues in EVENT_CUES if lemma in cues)
        return None

    @staticmethod
    def _core(head: Token, noun: Token | None) -> tuple[list[Token], list[Token]]:
        """The words of the event a count takes part in, nearest first: the noun it is 'of' ('the
        evacuation of 400 residents'), the verb it is subject or object of with that verb's particle,
        complement ('forced to leave their homes'), or the clause on the noun or number ('people sheltering
        in relief camps', '628,000 relocated'); a place a verb moves people to ('to safer places'). Verbs
        conjoined to that verb without a subject of their own ('were affected and evacuated') come apart."""
        core: list[Token] = []
        conj: list[Token] = []

        def verb(v: Token, out: list[Token], depth: int = 0) -> None:
            out.append(v)
            for c in v.children:
                if c.dep_ in {"prt", "acomp", "oprd", "neg", "advmod"}:
                    out.append(c)
                elif c.dep_ == "prep":
                    for p in c.children:
                        if p.dep_ == "pobj":  # "to safer places", "in need of shelter"
                            out.append(p)
                            out.extend(a for a in p.children if a.dep_ == "amod")
                            out.extend(o for pp in p.children if pp.dep_ == "prep" and pp.lower_ == "of"
                                       for o in pp.children if o.dep_ == "pobj")
                elif c.dep_ == "xcomp" and c.pos_ in {"VERB", "ADJ"} and depth < 2:
                    verb(c, out, depth + 1)
                elif c.dep_ == "conj" and c.pos_ in {"VERB", "ADJ"} and depth < 2 and not any(
                        cc.dep_ in {"nsubj", "nsubjpass"} for cc in c.children):
                    verb(c, conj, depth + 1)
                elif c.dep_ == "dobj" and depth > 0:  # "forced to leave their homes"
                    out.append(c)

        for base in (head, noun) if noun is not None and noun.i != head.i else (head,):
            if base.dep_ == "pobj" and base.head.lower_ == "of" and base.head.head.pos_ == "NOUN":
                core.append(base.head.head)
            if base.dep_ in {"nsubj", "nsubjpass", "dobj"} and base.head.pos_ in {"VERB", "ADJ"}:
                verb(base.head, core)
            for c in base.children:
                if c.dep_ in {"acl", "relcl"} and c.pos_ == "VERB":
                    verb(c, core, 1)
                elif c.dep_ == "amod" and c.tag_ == "VBN":  # "144,044 evacuated people"
                    core.append(c)
        return core, conj

    @staticmethod
    def _dangling_event(doc: Doc, sent: Span, num: Number, noun: Token | None) -> str | None:
        """'forced the evacuation of, according to the latest data, 17,631 people': an event noun and
        its 'of' that an aside cut from the count, within a few words before it."""
        if noun is not None and noun.lemma_.lower() not in PEOPLE_NOUNS | HOUSE_NOUNS:
            return None
        for t in reversed(doc[max(sent.start, num.start - 12):num.start]):
            if t.like_num:
                return None
            if t.lemma_.lower() in STRONG_DISPLACEMENT and t.pos_ == "NOUN" and t.i + 1 < sent.end and \
                    doc[t.i + 1].lower_ == "of":
                return t.lemma_.lower()
        return None

    def _category_from(self, doc: Doc, sent: Span, num: Number, noun: Token | None,
                       words: set[str], weak: bool = True) -> tuple[str, str | None]:
        unit = "share" if num.share else "people"
        noun_lemma = noun.lemma_.lower() if noun is not None else ""
        money = any(t.lower_ in CURRENCY for t in doc[max(sent.start, num.start - 1):num.end + 1]) or \
            doc[num.num_start].ent_type_ == "MONEY"
        if num.share and any(t.lower_ in {"funded", "financed"} for t in doc[num.end:min(len(doc), num.end + 2)]):
            return "share", "funding"  # "only 4 per cent funded"
        if money:
            return ("share" if num.share else _currency(doc, num)), "funding"  # "4 per cent funded" is a share
        if noun_lemma in HOUSE_NOUNS or noun_lemma in {"home", "house"}:
            unit = "houses" if noun_lemma not in {"village", "school", "hospital", "shop"} else noun_lemma + "s"
            if words & DESTROY:
                return unit, "houses_destroyed"
            if words & DAMAGE:
                return unit, "houses_damaged"
            if noun_lemma in {"home", "house", "homestead", "dwelling"} and words & STRONG_DISPLACEMENT:
                # "the evacuation of 50 homes": a home emptied is a household moved
                return "households", "evacuated" if words & CUES["evacuated"] else "displaced"
            return unit, None
        if noun_lemma in FACILITY_NOUNS:  # "1,537 relief camps" counts camps, not people
            return noun_lemma + "s", None
        if noun_lemma in {"household", "family"}:
            unit = "households"
        if noun_lemma in NOUN_FIRST:  # "1,900 cases", "43 deaths": the noun says what is counted
            if noun is not None and any(c.dep_ == "amod" and c.lower_ in {"wounded", "injured"}
                                        for c in noun.children):
                return unit, "injured"  # "38 wounded patients"
            return unit, NOUN_CATEGORY[noun_lemma]
        if noun_lemma == "territory" or (num.share and words & {"territory", "land", "area"}):
            return unit, "territory"
        if words & {"burn", "bury"} and "alive" in words and not words & {"rescue", "survive", "pull", "find"}:
            return unit, "killed"  # "burned alive", "buried alive"
        if words & MOVE_VERBS and words & SAFETY_WORDS:  # "moved to safer places"
            return unit, "evacuated"
        for category, cues in EVENT_CUES:
            matched = words & cues
            if matched:
                if category == "displaced" and not (words & {"displace", "displaced", "displacement", "flee",
                                                            "uproot", "idp", "idps", "escape", "refuge"} or
                                                   words & {"home", "homes", "house"} and
                                                   words & {"drive", "force", "leave"} or
                                                   "cross" in words and "border" in words):
                    continue
                if category == "sheltered" and not (words & {"shelter", "camp", "camps"} or
                                                   words & {"housed", "accommodate", "hosted", "hosting"} and
                                                   (noun is None or noun_lemma in PEOPLE_NOUNS)):
                    continue
                if category == "sick" and matched <= {"suspected", "test", "contract"} and noun_lemma not in {
                        "case", "patient"}:
                    continue  # "assailants suspected to be supporters", "tested the missile"
                if category == "sick" and noun_lemma in PEOPLE_NOUNS and not words & {"infect", "sick", "ill",
                                                                                       "hospitalise",
                                                                                       "hospitalize"}:
                    continue
                if category == "in_need" and not (words & {"need", "require"} or "insecure" in words or
                                                   "hunger" in words or "famine" in words):
                    continue
                if category == "returnees" and "return" in words and noun_lemma not in PEOPLE_NOUNS | {
                        "refugee", "returnee", "afghan"} and not (noun is not None and noun.pos_ == "PROPN"):
                    continue
                if category == "killed" and matched <= {"lose", "claim"} and not words & {"life", "lives"}:
                    continue  # "lost their homes", "claimed responsibility"
                if category == "homeless" and matched == {"lose"} and not words & {"home", "homes", "house",
                                                                                  "houses"}:
                    continue
                return unit, category
        if noun_lemma in NOUN_CATEGORY and (weak or NOUN_CATEGORY[noun_lemma] not in WEAK):
            category = NOUN_CATEGORY[noun_lemma]
            if category == "troops" and noun is not None and (
                    _lemmas(noun.children) & {"rebel", "militia", "opposition", "insurgent"}):
                category = "fighters"
            return unit, category
        if not weak:
            return unit, None
        if noun is not None and noun.lemma_.lower() in {"civilian", "resident", "inhabitant"} and \
                words & {"number", "live", "population"}:
            return unit, "population"
        if words & {"population", "inhabitant"}:
            return unit, "population"
        return unit, None

    def _inherited(self, doc: Doc, sent: Span, previous: list[Figure], noun: Token | None) -> str | None:
        """A people count with no cue of its own takes the topic of the sentence before, in the same block
        ("...there will be large displacement. The smallest number ... is about half a million people")."""
        if noun is None or noun.lemma_.lower() not in PEOPLE_NOUNS - {"who", "more", "others"}:
            return None
        structure = doc._.blocks
        if sent.start == 0:
            return None
        prev_sent = doc[sent.start - 1].sent
        if structure is not None and structure.at(prev_sent.start_char) is not structure.at(sent.start_char):
            # a new paragraph: only continue inside one quote
            quote = next((q for q in doc._.quotes or () if q.start <= prev_sent.start_char < q.end
                          and q.start <= sent.start_char < q.end), None)
            if quote is None:
                return None
        words = _lemmas(prev_sent)
        for category, cues in EVENT_CUES[:10]:
            strong = cues & {"displacement", "displace", "flee", "kill", "die", "injure", "wound", "evacuate",
                             "abduct", "kidnap", "arrest", "detain", "refugee", "death", "missing"}
            if words & strong:
                return category
        return None

    def _source(self, doc: Doc, num: Number) -> str | None:
        start = doc[num.start].idx
        end = doc[num.end - 1].idx + len(doc[num.end - 1].text)
        best = None
        for q in doc._.quotes or ():
            if q.start <= start and end <= q.end and q.speaker:
                if best is None or (q.end - q.start) < (best.end - best.start):
                    best = q
        return best.speaker if best else None

    @staticmethod
    def _modality(doc: Doc, head: Token, noun: Token | None) -> str:
        words: set[str] = set()
        base = noun if noun is not None and noun.i != head.i else head
        if base.lower_ in {"no", "none", "nobody"} or head.lower_ in {"zero", "no", "nobody", "none"} or (
                head.i > 0 and doc[head.i - 1].lower_ == "no" and head.lower_ == "one"):
            return "negated"
        stops = {"say", "tell", "estimate", "report", "state", "announce"}
        between = []
        if noun is not None and noun in head.ancestors:
            for t in head.ancestors:
                if t.i == noun.i:
                    break
                between.append(t)
        if any(t.pos_ in {"VERB", "AUX"} or t.lemma_ == "number" for t in between):
            # "civilians, who he said number two million": the relative clause holds the figure
            chain = [head]
            for t in head.ancestors:
                if t.i == noun.i:
                    break
                chain.append(t)
        else:
            chain = [base, *_ancestors_until_clause(base, stops)]
        nouns: set[str] = set()  # "the response plan": a plan named, not a plan to do something
        for t in chain:
            if t.lemma_ in {"say", "tell", "estimate", "report", "state", "announce"} and t is not base:
                break
            words.add(t.lemma_.lower())
            if t.pos_ in {"NOUN", "PROPN"}:
                nouns.add(t.lemma_.lower())
            for c in t.children:
                if c.dep_ in {"aux", "auxpass", "neg", "mark", "advmod"}:
                    words.add(c.lower_)
                if c.dep_ in {"nsubj", "nsubjpass"}:
                    for cc in c.children:
                        if cc.dep_ in {"relcl", "acl"}:
                            words.add(cc.lemma_.lower())
        if words & NEGATION:
            return "negated"
        if words & POSSIBLE or "would" in words:
            return "possible"
        if words & EXPECTED_AUX or (words - nouns) & EXPECTED_LEMMAS:
            return "expected"
        return "reported"

    def _by_reference(self, doc: Doc, sent: Span, figures: list[Figure]) -> Figure | None:
        """'the number could be even higher': a bound given by reference to the figure before."""
        for t in sent:
            if t.lower_ in {"higher", "more", "greater", "larger", "lower", "fewer", "smaller"} and \
                    t.dep_ in {"acomp", "attr", "advmod", "amod"}:
                verb = t.head
                subj = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
                if subj is None or subj.lemma_ not in REFERENCE_NOUNS:
                    continue
                prior = [f for f in figures if f.start < t.idx and f.unit != "share"]
                if not prior:
                    return None
                ref = prior[-1]
                value = ref.high if ref.high is not None else ref.low
                up = t.lower_ in {"higher", "more", "greater", "larger"}
                left = t.i - 1 if t.i > 0 and doc[t.i - 1].lower_ in {"even", "much", "far", "still"} else t.i
                start, end = doc[left].idx, t.idx + len(t.text)
                num = Number(left, t.i + 1, left, t.i + 1, value, value, False)
                return Figure(ref.category, value if up else None, None if up else value, False, ref.unit,
                              doc[left:t.i + 1].text, start, end, ref.place, self._source(doc, num),
                              self._modality(doc, t, None), sent.text.strip(), t.i)
        return None

    def _date(self, doc: Doc, sent: Span) -> str | None:
        for d in doc._.dates or ():
            if sent.start <= d["token_start"] < sent.end and d["value"] and len(d["value"]) == 10:
                return d["value"]
        return (doc._.meta or {}).get("published")


def _drop_restated(doc: Doc, figures: list[Figure]) -> list[Figure]:
    """A headline or standfirst figure that the body gives again is not a second figure."""
    structure = doc._.blocks
    if structure is None:
        return figures
    body = [f for f in figures if structure.kind(f.start) not in {"headline", "standfirst"}]
    out = []
    for f in figures:
        if structure.kind(f.start) in {"headline", "standfirst"} and any(
                b.category == f.category and (b.low, b.high) == (f.low, f.high) for b in body):
            continue
        out.append(f)
    return out


LOWER_WORDS = {"smallest", "lowest", "minimum", "least"}
UPPER_WORDS = {"largest", "highest", "maximum", "biggest", "most", "worst"}


def _bound_by_superlative(doc: Doc, sent: Span, num: Number) -> None:
    """'The smallest number we are expecting is about half a million': a lower bound (and the reverse)."""
    if num.low is None or num.high is None or num.low != num.high:
        return
    before = [t for t in doc[sent.start:num.start]]
    if not any(t.lemma_ == "be" for t in before[-4:]):
        return
    words = {t.lower_ for t in before}
    if words & LOWER_WORDS and words & REFERENCE_NOUNS | {"estimate", "number", "figure"}:
        num.high = None
    elif words & UPPER_WORDS and words & REFERENCE_NOUNS | {"estimate", "number", "figure"}:
        num.low = None


def _speaker(span: Span) -> bool:
    """A place named as one who speaks or is spoken of ("a charge Kigali denies", "Moscow said", "accused
    Rwanda of ..."): its government, not where anything happened."""
    root = span.root
    return root.dep_ in {"nsubj", "nsubjpass", "dobj"} and root.head.pos_ == "VERB" and \
        root.head.lemma_.lower() in SPEECH_CUES
