"""Quotes: direct ("...," he said), indirect (X said (that) ..., ..., X says; according to X;
X estimates ...) and mixed, each with its cue word, content span and speaker resolved to an actor."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from sitrep.pipeline import ext  # noqa: F401
from sitrep.pipeline.actors import ActorSet

SPEECH_VERBS = {"say", "tell", "state", "announce", "add", "estimate", "warn", "report", "claim", "confirm",
                "insist", "believe", "argue", "note", "explain", "predict", "reveal", "allege", "acknowledge",
                "stress", "declare", "deny", "admit", "indicate", "suggest", "write", "tweet", "reiterate",
                "assert", "maintain", "caution", "fear", "think", "calculate", "disclose", "emphasise",
                "emphasize", "recount", "recall", "describe", "testify", "contend", "concede", "observe",
                "remark", "respond", "reply", "counter", "agree", "complain", "charge", "accuse", "conclude",
                "find", "show", "project", "forecast", "answer", "affirm", "underline", "highlight"}
WEAK_VERBS = {"find", "show", "think", "believe", "agree", "fear", "describe", "note", "observe"}
QUOTE_RE = re.compile(r"[\"\u201c]([^\"\u201c\u201d]{2,}?)[\"\u201d]", re.S)


@dataclass
class Quote:
    speaker: str | None
    speaker_mention: tuple[str, int, int] | None
    kind: str
    cue: str | None
    text: str
    start: int
    end: int
    cue_start: int | None = None

    def contains(self, start: int, end: int) -> bool:
        return self.start <= start and end <= self.end


def _span_chars(tokens: list[Token]) -> tuple[int, int]:
    tokens = [t for t in tokens if not t.is_space]
    while tokens and (tokens[0].is_punct and tokens[0].text not in {"[", "("}):
        tokens = tokens[1:]
    while tokens and tokens[-1].is_punct and tokens[-1].text not in {"]", ")", "%"}:
        tokens = tokens[:-1]
    if not tokens:
        return (0, 0)
    tokens.sort(key=lambda t: t.i)
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in {"nsubj", "nsubjpass"}:
            return child
    if verb.dep_ in {"conj", "xcomp"} and verb.head.pos_ in {"VERB", "AUX"}:
        return _subject(verb.head) if verb.head.lemma_ in SPEECH_VERBS else None
    return None


def _subject_span(subj: Token) -> Span:
    doc = subj.doc
    left = subj.left_edge.i
    right = subj.i + 1
    # keep appositions and "of X" but stop at relative clauses
    for child in subj.rights:
        if child.dep_ in {"prep", "appos", "compound", "amod", "punct"} and child.dep_ != "relcl":
            right = max(right, child.right_edge.i + 1)
    return doc[left:right]


@Language.factory("sitrep_quotes_v1", assigns=["doc._.quotes"], requires=["doc._.actors", "doc._.blocks"])
def make_quotes(nlp: Language, name: str) -> QuotesComponent:
    return QuotesComponent()


class QuotesComponent:
    def __call__(self, doc: Doc) -> Doc:
        acts: ActorSet = doc._.actors
        structure = doc._.blocks
        quotes: list[Quote] = []
        direct = [(m.start(1), m.end(1)) for m in QUOTE_RE.finditer(doc.text)
                  if len(m.group(1).split()) >= 4 and (structure is None or structure.is_claim(m.start()))]

        def speaker_of(subj: Token | None) -> tuple[str | None, tuple[str, int, int] | None]:
            if subj is None:
                return None, None
            span = _subject_span(subj)
            actor = acts.by_token.get(subj.i) or acts.at(span)
            mention = (span.text, span.start_char, span.end_char)
            return (actor.name if actor else span.text if subj.pos_ == "PROPN" else None), mention

        used_direct: set[int] = set()
        # Indirect (and direct through their attribution verb).
        for token in doc:
            if structure is not None and not structure.is_claim(token.idx):
                continue
            if token.lemma_ in SPEECH_VERBS and token.pos_ in {"VERB", "AUX"}:
                subj = _subject(token)
                if subj is None and token.dep_ not in {"relcl", "acl", "amod"}:
                    found = _trailing_attribution(token, acts)
                    if found is not None:
                        subj_span, content_end = found
                        start, end = _span_chars([t for t in token.sent if t.i < content_end])
                        actor = acts.at(subj_span)
                        if end - start >= 8:
                            quotes.append(Quote(actor.name if actor else subj_span.text,
                                                (subj_span.text, subj_span.start_char, subj_span.end_char),
                                                "indirect", token.text, doc.text[start:end], start, end, token.idx))
                    continue
                if subj is None or subj.dep_ == "nsubjpass" or token.dep_ in {"relcl", "acl", "amod"}:
                    continue
                inside = next((i for i, (s, e) in enumerate(direct) if s <= token.idx < e), None)
                if inside is not None:
                    continue
                content = [c for c in token.children if c.dep_ in {"ccomp", "xcomp"} and c.lemma_ != "be"
                           or c.dep_ == "ccomp"]
                tokens: list[Token] = []
                for c in content:
                    tokens.extend(_content_tokens(c))
                if not tokens and token.lemma_ in WEAK_VERBS:
                    continue
                if not tokens:
                    # "..., X said." with the content parsed as the verb's head or sibling
                    sent = token.sent
                    comma = next((t for t in reversed(list(sent)) if t.i < subj.left_edge.i and t.text in {",", ":"}),
                                 None)
                    if comma is not None and comma.i > sent.start:
                        tokens = [t for t in sent if t.i < comma.i]
                if not tokens:
                    continue
                start, end = _span_chars(tokens)
                if end - start < 8:
                    continue
                kind = "indirect"
                for i, (s, e) in enumerate(direct):
                    if s <= start + 1 and end <= e + 1 or (start <= s and e <= end and (e - s) > 0.8 * (end - start)):
                        kind = "direct"
                        start, end = s, e
                        used_direct.add(i)
                    elif start < e and s < end:
                        kind = "mixed"
                        used_direct.add(i)
                speaker, mention = speaker_of(subj)
                quotes.append(Quote(speaker, mention, kind, token.text, doc.text[start:end].strip(), start,
                                    end, token.idx))
        # "according to X"
        for token in doc:
            if token.lower_ == "according" and token.i + 2 < len(doc) and doc[token.i + 1].lower_ == "to":
                if structure is not None and not structure.is_claim(token.idx):
                    continue
                obj = next((c for c in doc[token.i + 1].children if c.dep_ == "pobj"), None)
                if obj is None:
                    continue
                sent = token.sent
                skip = set(range(token.i, obj.right_edge.i + 1))
                tokens = [t for t in sent if t.i not in skip]
                start, end = _span_chars(tokens)
                if end - start < 8:
                    continue
                speaker, mention = speaker_of(obj)
                quotes.append(Quote(speaker, mention, "indirect", "according to", doc.text[start:end], start, end,
                                    token.idx))
        # Direct quotes whose attribution sits before them ('X said: "..."') or in a nearby sentence.
        for i, (s, e) in enumerate(direct):
            if i in used_direct:
                continue
            span = doc.char_span(s, e, alignment_mode="expand")
            if span is None:
                continue
            speaker, mention, cue, cue_start = None, None, None, None
            sents = list(span.sents)
            around = [t for t in sents[0] if t.i < span.start] + [t for t in sents[-1] if t.i >= span.end]
            for t in around:
                if t.lemma_ in SPEECH_VERBS and t.pos_ in {"VERB", "AUX"}:
                    subj = _subject(t)
                    if subj is not None:
                        speaker, mention = speaker_of(subj)
                        cue, cue_start = t.text, t.idx
                        break
            if speaker is None:
                prev = [q for q in quotes if q.end <= s and s - q.end < 400 and q.speaker]
                if prev:
                    speaker, mention = prev[-1].speaker, prev[-1].speaker_mention
            quotes.append(Quote(speaker, mention, "direct", cue, doc.text[s:e].strip(), s, e, cue_start))
        quotes.sort(key=lambda q: q.start)
        doc._.quotes = _dedupe(quotes)
        return doc


def _trailing_attribution(verb: Token, acts: ActorSet) -> tuple[Span, int] | None:
    """'..., the governor of Borno, Amina Yusuf, says.' when the parser gave the verb no subject."""
    sent = verb.sent
    after = [t for t in sent if t.i > verb.i and not t.is_space]
    if after and not (all(t.is_punct for t in after) or after[0].lower_ in {"on", "in", "at", "late", "early"}):
        return None
    commas = [t.i for t in sent if t.i < verb.i and t.text == ","]
    for c in commas:  # leftmost comma whose remainder is a noun phrase naming an actor
        seg = sent.doc[c + 1:verb.i]
        if not seg or any(t.pos_ in {"VERB", "AUX"} for t in seg) or c <= sent.start:
            continue
        if any(t.i in acts.by_token for t in seg):
            people = [t for t in seg if t.i in acts.by_token and acts.by_token[t.i].kind == "person"]
            head = people[-1] if people else next(t for t in seg if t.i in acts.by_token)
            return sent.doc[head.i:head.i + 1], c
    return None


def _content_tokens(root: Token) -> list[Token]:
    """The content clause without a coordinated attribution of its own ('..., and the UN estimates ...')."""
    cut: set[int] = set()
    for t in root.subtree:
        if t.dep_ == "conj" and t.lemma_ in SPEECH_VERBS and any(c.dep_ == "nsubj" for c in t.children):
            cut.update(x.i for x in t.subtree)
            cut.update(x.i for x in t.head.children if x.dep_ in {"cc", "punct"} and x.i < t.i and x.i > t.head.i)
    return [t for t in root.subtree if t.i not in cut]


def _dedupe(quotes: list[Quote]) -> list[Quote]:
    out: list[Quote] = []
    for q in quotes:
        if any(o.start == q.start and o.end == q.end for o in out):
            continue
        out.append(q)
    return out
