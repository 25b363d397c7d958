"""Crash-test hooks for the kill-and-resume tests.

``SITREP_FAILPOINT=NAME:N`` makes the process SIGKILL itself at a named point once the count reaches N:
``after_commit`` (N articles committed by this run) or ``mid_batch`` (N articles written inside a
not-yet-committed transaction). Unset, it does nothing.
"""

from __future__ import annotations

import os
import signal


def failpoint(name: str, count: int) -> None:
    spec = os.environ.get("SITREP_FAILPOINT")
    if not spec:
        return
    point, _, n = spec.partition(":")
    if point == name and count >= int(n or 0):
        os.kill(os.getpid(), signal.SIGKILL)
