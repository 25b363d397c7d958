from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"


def need_shared(*parts: str) -> Path:
    """A path under ../shared; skip with a reason when absent, but fail under CI=true."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        message = f"{path} is absent: the shared data sets are not beside this checkout"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " (CI=true: a skipped gold test is a failure)")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def extractor():
    from sitrep.api import _extractor

    return _extractor()


@pytest.fixture(scope="session")
def extract_text(extractor):
    from sitrep.api import extract_text as fn

    return fn


@pytest.fixture(scope="session")
def figures_of(extract_text):
    """Figures of a one-paragraph article written for the test."""

    def run(sentence: str, published: str = "2024-05-10") -> list[dict]:
        text = f"Test headline\nTest standfirst\n{sentence}"
        return extract_text(text, published=published)["figures"]

    return run
