"""``sitrep serve``: the read-only JSON API and the page (map, timeline, reconciliation, reader, search)."""
