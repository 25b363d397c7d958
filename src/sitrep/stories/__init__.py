"""Stories: the same event reported by several articles, linked so it is counted once.

Each new event joins the best matching story (same type, place within ``PLACE_KM``, date within
``WINDOW_DAYS``, actors that do not contradict, words in common) or starts a new one. Linking runs inside
the transaction that stores the article, so a killed run never leaves an article half-linked. A figure that
repeats another article's figure for the same story (same category and range) is marked ``repeat_of`` the
first copy, so totals count it once.
"""

from __future__ import annotations

from sitrep.stories.link import PLACE_KM, WINDOW_DAYS, link_article, unlink_article

__all__ = ["PLACE_KM", "WINDOW_DAYS", "link_article", "unlink_article"]
