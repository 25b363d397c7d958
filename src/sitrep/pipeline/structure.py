"""Article structure: headline, standfirst, paragraphs, section headings and related-story links.

Sets a sentence start at every line start (so a headline never merges into the next sentence) and
records each line's kind in ``doc._.blocks``. Other components skip related links, whose words are
never the article's claims.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from sitrep.pipeline import ext

FINAL_PUNCT = tuple('.?!:;"\'\u201d\u2019)')
HEADING_MAX_WORDS = 10


@dataclass(frozen=True)
class Block:
    kind: str  # headline | standfirst | paragraph | heading | related
    start: int
    end: int
    text: str


def split_blocks(text: str, layout: str = "plain") -> list[Block]:
    blocks: list[Block] = []
    pos = 0
    content_lines = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        stripped = line.strip()
        if not stripped:
            continue
        lead = start + (len(line) - len(line.lstrip()))
        stop = lead + len(stripped)
        if stripped.startswith("- ") or stripped.startswith("\u2022 "):
            kind = "related"
        elif layout == "plain" and content_lines == 0:
            kind = "headline"
        elif layout == "plain" and content_lines == 1 and not stripped.endswith(FINAL_PUNCT[:3]):
            kind = "standfirst"
        elif len(stripped.split()) <= HEADING_MAX_WORDS and not stripped.endswith(FINAL_PUNCT):
            kind = "heading"
        else:
            kind = "paragraph"
        content_lines += 1
        blocks.append(Block(kind, lead, stop, stripped))
    return blocks


class Structure:
    def __init__(self, blocks: list[Block]) -> None:
        self.blocks = blocks
        self._starts = [b.start for b in blocks]

    def at(self, char: int) -> Block | None:
        i = bisect_right(self._starts, char) - 1
        if i >= 0 and char < self.blocks[i].end + 1:
            return self.blocks[i]
        return None

    def kind(self, char: int) -> str:
        block = self.at(char)
        return block.kind if block else "paragraph"

    def is_claim(self, char: int) -> bool:
        """Related-story links and headings restate or point elsewhere: not the article's claims."""
        return self.kind(char) not in {"related", "heading"}


@Language.factory("sitrep_structure_v1", assigns=["doc._.blocks", "token.is_sent_start"])
def make_structure(nlp: Language, name: str) -> StructureComponent:
    return StructureComponent()


class StructureComponent:
    def __call__(self, doc: Doc) -> Doc:
        meta = doc._.meta or {}
        structure = Structure(split_blocks(ext.text_of(doc), meta.get("layout", "plain")))
        doc._.blocks = structure
        for block in structure.blocks[1:]:
            span = doc.char_span(block.start, block.end, alignment_mode="expand")
            if span is not None and span.start > 0:
                span[0].is_sent_start = True
        return doc
