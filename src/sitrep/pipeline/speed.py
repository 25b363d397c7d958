"""Faster routes through three stages of the spaCy model, each giving exactly spaCy's own results.

- ``use_matmul``: the model's layers multiply matrices with numpy's BLAS instead of blis.
- ``sitrep_attribute_ruler_v1``: the model's attribute-ruler rules (tag map, lemma and morphology
  exceptions), evaluated once per distinct (lower, tag, dep, flags) combination instead of by a
  ``Matcher`` over every token of every document.
- ``cache_lemmas``: the rule lemmatizer remembers every answer by (word, part of speech, morphology);
  spaCy's own cache skips the common paths (base forms, parts of speech without rules).

``tests/test_speed.py`` checks on real articles that the pipeline's output is unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from spacy.attrs import IDS
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.tokens._retokenize import normalize_token_attrs, set_token_attrs
from thinc.api import NumpyOps

from sitrep.errors import SitrepError

# token attributes a compiled rule may test: read with Doc.to_array, as the Matcher reads them
_TEXT_ATTRS = ("ORTH", "LOWER", "NORM", "TAG", "DEP", "POS", "LEMMA")
_FLAG_ATTRS = tuple(name for name in IDS if name.startswith(("IS_", "LIKE_")) and name != "IS_SENT_START")
_OPERATORS = ("IN", "NOT_IN", "REGEX")
CACHE_LIMIT = 20_000  # entries per cache (a few MB); a full cache starts again: a long run meets ever more rare words


def use_matmul(nlp: Language, kind: str) -> None:
    """Choose how the model's layers multiply matrices; the results are the same either way.

    spaCy's default, blis, picks its kernel from the processor and falls back to a generic one it does
    not recognise (``BLIS_ARCH_DEBUG=1`` shows which); numpy's BLAS is then several times faster on the
    same products. ``numpy`` limits numpy's BLAS to one thread: the products are small, and the ingest
    workers already use every core. (The parser's own state loop calls blis directly either way.)
    """
    if kind == "blis":
        return
    if kind != "numpy":
        raise SitrepError(f"setting matmul={kind!r}: expected 'numpy' or 'blis'", "E002")
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")
    ops = NumpyOps(use_blis=False)
    for _name, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is None:
            continue
        for node in model.walk():
            node.ops = ops


def use_fast_paths(nlp: Language, setting: str) -> None:
    """``on``: the compiled attribute ruler and the lemma cache below; ``off``: spaCy's own components."""
    if setting not in ("on", "off"):
        raise SitrepError(f"setting fast_paths={setting!r}: expected 'on' or 'off'", "E002")
    if setting == "on":
        compile_attribute_ruler(nlp)
        cache_lemmas(nlp)


# --- attribute ruler -------------------------------------------------------------------------------

Predicate = Callable[[tuple[int, ...]], bool]


def _attr_name(key: str) -> str:
    """A pattern key as the Matcher reads it ("text" is ORTH)."""
    return "ORTH" if key.upper() == "TEXT" else key.upper()


def _token_spec_supported(spec: dict[str, Any]) -> bool:
    for key, value in spec.items():
        attr = _attr_name(key)
        if attr not in _TEXT_ATTRS and attr not in _FLAG_ATTRS:
            return False  # OP, "_" extensions, MORPH, ENT_*, LENGTH ...: left to spaCy's Matcher
        if isinstance(value, dict):
            if not value or any(op not in _OPERATORS for op in value):
                return False
        elif not isinstance(value, (str, bool, int)):
            return False
    return True


def attribute_rules_supported(patterns: Iterable[dict[str, Any]]) -> bool:
    """Whether every rule is one this module evaluates exactly as spaCy's Matcher does."""
    for rule in patterns:
        for pattern in rule["patterns"]:
            if not pattern or not all(isinstance(spec, dict) and _token_spec_supported(spec) for spec in pattern):
                return False
    return True


class _Columns:
    """The attributes the rules read, as columns of ``Doc.to_array``; values as the Matcher sees them."""

    def __init__(self, nlp: Language, patterns: list[dict[str, Any]]) -> None:
        names: list[str] = []
        for rule in patterns:
            for pattern in rule["patterns"]:
                for spec in pattern:
                    for key in spec:
                        attr = _attr_name(key)
                        if attr not in names:
                            names.append(attr)
        self.names = names
        self.ids = [IDS[name] for name in names]
        self.strings = nlp.vocab.strings

    def predicate(self, spec: dict[str, Any]) -> tuple[Predicate, tuple[int, frozenset[int]] | None]:
        """A test of one token's row, and an anchor: a column and the values it must have, if any."""
        tests: list[Predicate] = []
        anchors: list[tuple[int, frozenset[int]]] = []
        for key, value in spec.items():
            attr = _attr_name(key)
            col = self.names.index(attr)
            if isinstance(value, dict):
                for op, arg in value.items():
                    tests.append(self._operator(col, op, arg))
                    if op == "IN":
                        anchors.append((col, frozenset(get_string_id(v) for v in arg)))
            else:  # the Matcher compares a string's id, a bool as 0/1, an int as itself
                target = get_string_id(value) if isinstance(value, str) else int(value)
                tests.append(lambda row, c=col, v=target: row[c] == v)
                anchors.append((col, frozenset((target,))))
        anchor = min(anchors, key=lambda a: len(a[1])) if anchors else None
        return (lambda row: all(test(row) for test in tests)), anchor

    def _operator(self, col: int, op: str, arg: Any) -> Predicate:
        if op == "REGEX":
            rx = re.compile(arg)
            strings = self.strings
            return lambda row: bool(rx.search(strings[row[col]]))
        ids = frozenset(get_string_id(v) for v in arg)
        if op == "IN":
            return lambda row: row[col] in ids
        return lambda row: row[col] not in ids


class CompiledAttributeRuler:
    """spaCy's ``AttributeRuler`` semantics: every rule matches against the tokens as they came in;
    matched rules are applied in the order they were added, so a later rule overrides an earlier one.

    The outcome of the single-token rules depends only on a token's own attribute values, so it is
    worked out once per distinct combination; rules spanning several tokens are checked only where
    their first token fits.
    """

    def __init__(self, nlp: Language, name: str, patterns: list[dict[str, Any]]) -> None:
        if not attribute_rules_supported(patterns):
            raise SitrepError("attribute ruler: a rule uses a Matcher feature the compiled ruler does not "
                              "evaluate; keep spaCy's attribute_ruler", "E003")
        self.name = name
        self.columns = _Columns(nlp, patterns)
        self.attrs = [normalize_token_attrs(nlp.vocab, rule["attrs"]) for rule in patterns]
        # the first token of every pattern, found through an anchoring column's value or always tried;
        # a one-token pattern is a rule to apply, a longer one a place to check the following tokens
        self.firsts: list[tuple[bool, int, Predicate]] = []  # (one-token, rule or multi index, predicate)
        self.multi: list[tuple[int, list[Predicate], int]] = []  # (rule, predicates, target offset)
        self.by_value: dict[int, dict[int, list[int]]] = {}
        self.unanchored: list[int] = []
        for i, rule in enumerate(patterns):
            index = rule.get("index", 0)
            for pattern in rule["patterns"]:
                if not -len(pattern) <= index < len(pattern):
                    raise SitrepError(f"attribute ruler: rule {i} targets token {index} of a "
                                      f"{len(pattern)}-token pattern", "E003")
                compiled = [self.columns.predicate(spec) for spec in pattern]
                first, anchor = compiled[0]
                if anchor is None:
                    self.unanchored.append(len(self.firsts))
                else:
                    col, values = anchor
                    for v in values:
                        self.by_value.setdefault(col, {}).setdefault(v, []).append(len(self.firsts))
                if len(pattern) == 1:
                    self.firsts.append((True, i, first))
                else:
                    self.firsts.append((False, len(self.multi), first))
                    self.multi.append((i, [pred for pred, _anchor in compiled], index % len(pattern)))
        # row -> (attributes its one-token rules set, those rules, multi-token patterns it may start)
        self._cache: dict[tuple[int, ...], tuple[dict[int, Any] | None, tuple[int, ...], tuple[int, ...]]] = {}

    def _lookup(self, row: tuple[int, ...]) -> tuple[dict[int, Any] | None, tuple[int, ...], tuple[int, ...]]:
        hit = self._cache.get(row)
        if hit is None:
            if len(self._cache) >= CACHE_LIMIT:
                self._cache.clear()
            candidates = set(self.unanchored)
            for col, index in self.by_value.items():
                candidates.update(index.get(row[col], ()))
            rules: set[int] = set()
            starts: list[int] = []
            for k in sorted(candidates):
                one, ref, pred = self.firsts[k]
                if pred(row):
                    if one:
                        rules.add(ref)
                    else:
                        starts.append(ref)
            hit = (self._merge(rules), tuple(sorted(rules)), tuple(starts))
            self._cache[row] = hit
        return hit

    def _merge(self, rules: Iterable[int]) -> dict[int, Any] | None:
        merged: dict[int, Any] = {}
        for i in sorted(rules):  # the order spaCy applies them in; a later rule wins
            merged.update(self.attrs[i])
        return merged or None

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        rows = [tuple(r) for r in doc.to_array(self.columns.ids).tolist()]
        found = [self._lookup(row) for row in rows]
        extra: dict[int, set[int]] = {}
        if self.multi:
            n = len(rows)
            for start, (_attrs, _rules, starts) in enumerate(found):
                for k in starts:
                    rule, preds, target = self.multi[k]
                    if start + len(preds) <= n and all(p(rows[start + j]) for j, p in enumerate(preds[1:], 1)):
                        extra.setdefault(start + target, set()).add(rule)
        for i, (attrs, rules, _starts) in enumerate(found):
            if i in extra:
                attrs = self._merge(extra[i].union(rules))
            if attrs is not None:
                set_token_attrs(doc[i], attrs)
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in stream:
            yield self(doc)


@Language.factory("sitrep_attribute_ruler_v1", default_config={"patterns": []},
                  assigns=["token.pos", "token.morph", "token.lemma"], requires=["token.tag", "token.dep"])
def make_attribute_ruler(nlp: Language, name: str, patterns: list[dict[str, Any]]) -> CompiledAttributeRuler:
    return CompiledAttributeRuler(nlp, name, patterns)


def compile_attribute_ruler(nlp: Language, name: str = "attribute_ruler") -> bool:
    """Swap the model's attribute ruler for the compiled one when every rule is supported."""
    if name not in nlp.pipe_names:
        return False
    patterns = nlp.get_pipe(name).patterns
    if not attribute_rules_supported(patterns):
        return False
    nlp.replace_pipe(name, "sitrep_attribute_ruler_v1", config={"patterns": patterns})
    return True


# --- lemmatizer ------------------------------------------------------------------------------------

class _WordList(list):  # type: ignore[type-arg]
    """A list of words (it serialises as one) whose ``in`` test is a set lookup."""

    def __init__(self, words: Iterable[str]) -> None:
        super().__init__(words)
        self._set = frozenset(self)

    def __contains__(self, word: object) -> bool:
        return word in self._set


def cache_lemmas(nlp: Language, name: str = "lemmatizer") -> bool:
    """Give a rule lemmatizer a cache of whole answers, and word lists that answer ``in`` quickly.

    spaCy's rule lemmatizer depends only on the word, its part of speech and its morphology, but
    caches only the answers that go through its suffix rules; base forms and parts of speech without
    tables are worked out again for every token. Each candidate form is looked up in a word list of
    the part of speech (``form in index``), which scans the list.
    """
    if name not in nlp.pipe_names:
        return False
    lemmatizer = nlp.get_pipe(name)
    if getattr(lemmatizer, "mode", None) != "rule":
        return False
    if lemmatizer.lookups.has_table("lemma_index"):
        index = lemmatizer.lookups.get_table("lemma_index")
        for pos, words in list(index.items()):
            if isinstance(words, list) and not isinstance(words, _WordList):
                index[pos] = _WordList(words)
    lemmatize = lemmatizer.rule_lemmatize
    cache: dict[tuple[int, int, int], list[str]] = {}

    def cached(token: Any) -> list[str]:
        key = (token.orth, token.pos, token.morph.key)
        hit = cache.get(key)
        if hit is None:
            if len(cache) >= CACHE_LIMIT:
                cache.clear()
                lemmatizer.cache.clear()  # spaCy's own, unbounded, holds a subset of ours
            hit = cache[key] = lemmatize(token)
        return hit

    lemmatizer.lemmatize = cached
    return True
