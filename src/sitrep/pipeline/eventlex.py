"""Event trigger words, written from ACLED's codebook definitions and general news usage.

Each trigger is a lemma (lower case) mapped to a *family* and a first guess at (type, subtype); the events
component refines the guess from the sentence (who acts on whom, what else is said). Families keep apart
what one sentence can report at once: a clash and the flight it causes are two events.
"""

from __future__ import annotations

from spacy.tokens import Token

BATTLES = "Battles"
EXPLOSIONS = "Explosions/Remote violence"
VAC = "Violence against civilians"
PROTESTS = "Protests"
RIOTS = "Riots"
STRATEGIC = "Strategic developments"
DISPLACEMENT = "Displacement"
AID = "Humanitarian aid"
DISASTER = "Disaster"

# lemma -> (family, type, subtype, strength); strength 2 = names the event, 1 = needs no stronger word nearby
Trigger = tuple[str, str, str | None, int]

_WORDS: list[tuple[str, Trigger]] = []


def _add(words: str, family: str, etype: str, subtype: str | None, strength: int = 2) -> None:
    for w in words.split():
        _WORDS.append((w.replace("_", " "), (family, etype, subtype, strength)))


# -- political violence ------------------------------------------------------------------------------
_add("clash clashes skirmish gunfight firefight shootout shoot-out shoot-outs gun-battle fire-fight battle "
     "fighting fight encounter ambush offensive counteroffensive counter-offensive assault gunbattle", "violence",
     BATTLES, "Armed clash")
_add("exchange", "violence", BATTLES, "Armed clash", 1)  # "exchanged fire"
_add("retake retook retaken recapture regain liberate restore reclaim", "violence", BATTLES, "Government regains territory")
_add("overrun overran seize capture overtake", "violence", BATTLES, "Non-state actor overtakes territory", 1)
_add("airstrike air_strike airstrikes air_raid warplane bombing bombard bombardment drone helicopter "
     "jet", "violence", EXPLOSIONS, "Air/drone strike")
_add("shell shelling artillery mortar rocket missile howitzer launcher barrage mlrs rpg", "violence",
     EXPLOSIONS, "Shelling/artillery/missile attack")
_add("ied landmine explosive_device roadside_bomb car_bomb explosive mine blast explosion detonate bomb "
     "explode", "violence", EXPLOSIONS, "Remote explosive/landmine/IED")
_add("suicide_bomber suicide_bombing suicide_attack suicide_vest suicide_car", "violence", EXPLOSIONS,
     "Suicide bomb")
_add("grenade", "violence", EXPLOSIONS, "Grenade")
_add("kill murder massacre execute behead slay shoot stab lynch torture assassinate gun", "violence", VAC,
     "Attack", 1)
_add("attack raid assail beat", "violence", VAC, "Attack", 1)
_add("abduct kidnap abduction kidnapping hostage disappearance", "violence", VAC,
     "Abduction/forced disappearance")
_add("rape sexually", "violence", VAC, "Sexual violence")
# -- demonstrations ----------------------------------------------------------------------------------
_add("protest protester demonstrate demonstration demonstrator rally march sit-in picket strike striker "
     "vigil walkout boycott", "protest", PROTESTS, "Peaceful protest")
_add("gather assemble block blockade occupy", "protest", PROTESTS, "Peaceful protest", 1)
_add("riot rioter mob unrest", "protest", RIOTS, "Mob violence")
# -- strategic developments ------------------------------------------------------------------------
_add("arrest detain apprehend", "strategic", STRATEGIC, "Arrests", 1)
_add("loot plunder vandalize vandalise ransack torch demolish raze arson", "strategic", STRATEGIC,
     "Looting/property destruction")
_add("defuse intercept dismantle", "strategic", STRATEGIC, "Disrupted weapons use")
_add("surrender ceasefire truce agreement accord", "strategic", STRATEGIC, "Agreement")
_add("deploy mobilize mobilise recruit convoy reinforcement", "strategic", STRATEGIC, "Change to group/activity", 1)
_add("withdraw withdrawal handover", "strategic", STRATEGIC, "Non-violent transfer of territory", 1)
# -- displacement, aid, disasters ------------------------------------------------------------------
_add("flee displace displacement exodus evacuate evacuation uproot", "displacement", DISPLACEMENT, None)
_add("aid relief airdrop distribution", "aid", AID, None, 1)
_add("flood flooding earthquake quake landslide mudslide cyclone hurricane typhoon storm drought tsunami "
     "eruption heatwave", "disaster", DISASTER, "Natural disaster")
_add("outbreak epidemic cholera mpox dengue measles ebola malaria diphtheria meningitis", "disaster", DISASTER,
     "Disease outbreak")
_add("collapse derailment fire", "disaster", DISASTER, "Man-made disaster", 1)

TRIGGERS: dict[str, Trigger] = {}
PHRASES: dict[str, Trigger] = {}
for _w, _t in _WORDS:
    (PHRASES if " " in _w or "-" in _w else TRIGGERS)[_w] = _t  # "sit-in" is three tokens
# what is burned, destroyed or stolen when property is the target ("burned a school", "stole property")
PROPERTY = {"home", "house", "school", "church", "mosque", "temple", "shop", "store", "vehicle", "car", "truck",
            "tower", "mast", "building", "office", "property", "pole", "market", "crop", "granary", "hut",
            "shelter", "station", "bridge", "machine", "equipment", "warehouse", "statue", "monument", "billboard",
            "poster", "bus", "motorcycle", "motorbike", "field", "farm", "dwelling", "compound", "headquarters"}
PROPERTY_VERBS = {"burn", "destroy", "steal", "uproot", "damage", "smash", "loot", "vandalize", "vandalise",
                  "torch", "deface", "set"}

# -- context words that refine a first guess -------------------------------------------------------------
ARMED = {"force", "forces", "troop", "soldier", "army", "military", "militant", "fighter", "rebel", "militia",
         "militiaman", "insurgent", "jihadist", "gunman", "terrorist", "combatant", "position", "base", "checkpoint",
         "police", "policeman", "officer", "gendarme", "unit", "brigade", "battalion", "group", "guerrilla",
         "paramilitary", "patrol", "post", "camp", "outpost", "garrison", "commander", "operative", "personnel",
         "bandit", "faction", "separatist", "pirate", "cadre", "member", "guard", "serviceman", "marine"}
CIVILIAN = {"civilian", "villager", "resident", "farmer", "people", "person", "man", "woman", "child", "children",
            "boy", "girl", "worker", "student", "journalist", "passenger", "trader", "family", "teacher", "doctor",
            "nurse", "pilgrim", "worshipper", "herder", "fisherman", "shop", "market", "home", "house", "village",
            "school", "hospital", "church", "mosque", "bus", "vehicle", "car", "driver", "activist", "leader",
            "chief", "businessman", "official", "candidate", "priest", "imam", "displaced", "refugee", "elder",
            "widow", "youth", "teenager", "local", "community", "household", "camp", "pedestrian", "motorist"}
STATE_WORDS = {"government", "army", "military", "police", "soldier", "troop", "forces", "force", "gendarme",
               "gendarmerie", "navy", "air", "security", "authorities", "authority", "state", "federal", "national",
               "ministry", "regime", "junta", "officer", "policeman", "special", "defence", "defense"}
NON_STATE_WORDS = {"rebel", "militant", "insurgent", "jihadist", "militia", "fighter", "gunman", "bandit",
                   "terrorist", "group", "faction", "separatist", "guerrilla", "extremist"}
INTERVENTION = {"disperse", "tear", "teargas", "arrest", "detain", "intervene", "prevent", "block", "baton",
                "truncheon", "cannon", "break", "stop", "beat", "clear", "rubber", "charge"}
LETHAL = {"kill", "shoot", "dead", "death", "live", "die", "fatally", "bullet", "ammunition"}
RIOT_ACTS = {"stone", "rock", "ablaze", "fire", "torch", "burn", "vandalize", "vandalise", "loot", "smash",
             "clash", "petrol", "molotov", "damage", "attack", "storm", "throw", "hurl", "pelt", "injure",
             "destroy", "set"}
NON_VIOLENT = {"without", "peacefully", "handed", "hand", "unopposed", "withdrew", "withdraw", "abandon",
               "abandoned", "vacate", "vacated", "retreat"}
TERRITORY = {"control", "town", "village", "city", "area", "territory", "district", "base", "hill", "position",
             "locality", "airport", "port", "road", "highway", "bridge", "camp", "neighbourhood", "neighborhood"}
WEAPON_OBJECTS = {"drone", "missile", "rocket", "weapon", "explosive", "ied", "bomb", "mine", "grenade", "arm",
                  "ammunition", "cache"}
AID_VERBS = {"deliver", "distribute", "provide", "send", "airlift", "airdrop", "dispatch", "reach", "arrive",
             "receive", "supply", "ship"}
NOT_DISEASE = {"rate", "risk"}
STUN = {"stun", "smoke", "tear", "flash"}

# organised armed men: their violence is never a mob's (ARMED without the places and the words a crowd
# shares: "group", "member", "faction", "cadre")
FORCES = ARMED - {"base", "cadre", "camp", "checkpoint", "faction", "garrison", "group", "guard", "member",
                  "operative", "outpost", "patrol", "personnel", "position", "post", "unit"} | {"assailant"}
# people who riot without being an armed group, and what crowds fight with
CROWD = {"local", "resident", "villager", "mob", "crowd", "youth", "relative", "settler", "cadre", "supporter",
         "student", "neighbour", "neighbor", "community", "vendor", "merchant", "faction", "rioter", "protester",
         "demonstrator"}
CROWD_WEAPONS = {"stick", "stone", "rock", "bamboo", "rod", "brick", "club", "fist", "machete", "stones"}

# "captured the silver", "captured the imagination", "the film is shot": uses of event verbs that are not events
NON_EVENT_OBJECTS = {"medal", "gold", "silver", "bronze", "title", "crown", "championship", "trophy", "cup",
                     "stage", "pole", "victory", "win", "seat", "vote", "imagination", "attention", "heart", "mood",
                     "spirit", "essence", "moment", "image", "picture", "footage", "photo", "photograph", "video",
                     "film", "movie", "scene", "documentary", "period", "share", "champion", "lineup", "record",
                     "race", "match", "game", "set", "point", "goal", "lead", "audience", "headline"}
NON_EVENT_VERBS = {"capture", "seize", "shoot", "take", "win", "claim", "strike", "hit", "storm"}


def other_sense(t: Token) -> bool:
    """Whether an event verb is used in a sense that reports no event ("Canada captured the silver")."""
    if t.lemma_.lower() not in NON_EVENT_VERBS:
        return False
    return any(c.dep_ in {"dobj", "nsubjpass", "nsubj", "attr"} and c.lemma_.lower() in NON_EVENT_OBJECTS
               and (c.dep_ != "nsubj" or t.lemma_.lower() == "shoot" and any(a.dep_ == "auxpass" for a in t.children))
               for c in t.children)
