"""sitrep: structured, source-attributed situation facts from conflict and crisis news.

The Python API and the command line are the same code::

    import sitrep
    for result in sitrep.extract(["article.txt"]):
        print(result["figures"])

``Extractor``, ``extract`` and ``extract_text`` load spaCy on first use, so commands that only read the
store (or only hand articles to worker processes) start quickly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sitrep.api import Extractor, extract, extract_text

__all__ = ["Extractor", "extract", "extract_text", "__version__"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name in {"Extractor", "extract", "extract_text"}:
        from sitrep import api

        return getattr(api, name)
    raise AttributeError(f"module 'sitrep' has no attribute {name!r}")
