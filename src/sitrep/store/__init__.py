"""The embedded SQLite store: numbered, transactional migrations; articles and their facts."""

from sitrep.store.sqlite import Store, open_store

__all__ = ["Store", "open_store"]
