"""Readers: turn paths, directories, JSON Lines and stdin into :class:`Article` objects.

Every reader yields either an :class:`Article` or a :class:`Failure`; a failure names the input and
the reason in one line and never stops the batch.
"""

from sitrep.sources.base import Article, Failure, Item
from sitrep.sources.dispatch import iter_inputs, read_bytes

__all__ = ["Article", "Failure", "Item", "iter_inputs", "read_bytes"]
