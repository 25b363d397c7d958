"""Duplicate articles: exact (normalized content hash) and near (MinHash LSH over word shingles).

Syndicated wire copies are linked to the first copy and not extracted again.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

_WORD = re.compile(r"\w+", re.UNICODE)
NUM_PERM = 64
THRESHOLD = 0.8
SHINGLE = 5
SCHEME = "affine32"  # fixed, so signatures stored by one version are comparable with the next


def normalize(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def content_hash(text: str) -> str:
    return hashlib.sha1(normalize(text).encode("utf-8")).hexdigest()


def shingles(text: str, k: int = SHINGLE) -> list[bytes]:
    words = _WORD.findall(text.lower())
    if len(words) <= k:
        return [" ".join(words).encode("utf-8")]
    return list({" ".join(words[i:i + k]).encode("utf-8") for i in range(len(words) - k + 1)})


class NearDuplicates:
    """An in-memory MinHash LSH index, filled from the store at start and as articles arrive."""

    def __init__(self, threshold: float = THRESHOLD, num_perm: int = NUM_PERM) -> None:
        from datasketch import MinHashLSH

        self.threshold = threshold
        self.num_perm = num_perm
        self.lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._sigs: dict[str, object] = {}
        self._perms = None  # the seed's permutations, made once (a new MinHash would remake them)

    def signature(self, text: str):
        from datasketch import MinHash

        if self._perms is None:
            self._perms = MinHash(num_perm=self.num_perm, scheme=SCHEME).permutations
        mh = MinHash(num_perm=self.num_perm, scheme=SCHEME, permutations=self._perms)
        mh.update_batch(shingles(text))
        return mh

    def to_bytes(self, mh) -> bytes:
        return np.asarray(mh.hashvalues, dtype=np.uint64).tobytes()

    def from_bytes(self, blob: bytes):
        from datasketch import MinHash

        return MinHash(num_perm=self.num_perm, hashvalues=np.frombuffer(blob, dtype=np.uint64).copy(),
                       scheme=SCHEME)

    def add(self, key: str, mh) -> None:
        if key in self._sigs:
            return
        self._sigs[key] = mh
        self.lsh.insert(key, mh)

    def match(self, mh) -> tuple[str, float] | None:
        """The most similar indexed key at or above the threshold, with its estimated Jaccard."""
        best = None
        for key in self.lsh.query(mh):
            sim = mh.jaccard(self._sigs[key])
            if sim >= self.threshold and (best is None or sim > best[1]):
                best = (key, float(sim))
        return best
