"""sitrep: structured, source-attributed situation facts from conflict and crisis news.

The Python API and the command line are the same code::

    import sitrep
    for result in sitrep.extract(["article.txt"]):
        print(result["figures"])
"""

from sitrep.api import Extractor, extract, extract_text

__all__ = ["Extractor", "extract", "extract_text", "__version__"]
__version__ = "0.1.0"
