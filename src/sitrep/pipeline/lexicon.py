"""The actor alias table: shipped data plus the user's own files, in one look-up."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from sitrep import settings
from sitrep.errors import SitrepError
from sitrep.textutil import fold


@dataclass
class ActorEntry:
    name: str
    kind: str
    aliases: list[str] = field(default_factory=list)


def case_sensitive(alias: str) -> bool:
    letters = alias.replace(".", "").replace("-", "")
    return len(letters) <= 6 and letters.isupper()


class Lexicon:
    def __init__(self) -> None:
        self.entries: dict[str, ActorEntry] = {}
        self._folded: dict[str, str] = {}  # folded alias -> canonical (case-insensitive aliases)
        self._exact: dict[str, str] = {}   # alias -> canonical (acronyms)

    def add(self, name: str, kind: str, aliases: list[str]) -> None:
        entry = self.entries.setdefault(name, ActorEntry(name, kind))
        entry.kind = kind or entry.kind
        for alias in [name, *aliases]:
            alias = alias.strip()
            if not alias or alias in entry.aliases:
                continue
            entry.aliases.append(alias)
            if case_sensitive(alias):
                self._exact[alias] = name
            else:
                self._folded[fold(alias)] = name

    def load(self, path: Path | str) -> Lexicon:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise SitrepError(f"{path}: cannot read alias file ({exc.strerror})", "E201") from None
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) < 2:
                raise SitrepError(f"{path}:{number}: expected 'name<TAB>kind<TAB>aliases'", "E202")
            aliases = parts[2].split("|") if len(parts) > 2 else []
            self.add(parts[0].strip(), parts[1].strip(), aliases)
        return self

    def lookup(self, text: str) -> str | None:
        text = text.strip()
        if text in self._exact:
            return self._exact[text]
        return self._folded.get(fold(text))

    def is_actor_alias(self, text: str) -> bool:
        return self.lookup(text) is not None

    def patterns(self) -> tuple[list[str], list[str]]:
        """(case-sensitive aliases, case-insensitive aliases) for a PhraseMatcher."""
        exact = list(self._exact)
        folded = [a for e in self.entries.values() for a in e.aliases if not case_sensitive(a)]
        return exact, folded


def default_lexicon(extra: list[str] | None = None) -> Lexicon:
    lex = Lexicon().load(Path(str(resources.files("sitrep").joinpath("data", "actors.tsv"))))
    paths = list(extra or [])
    env = settings.get("aliases")
    if env:
        paths.extend(p for p in env.split(os.pathsep) if p)
    for path in paths:
        lex.load(path)
    return lex


_shared: Lexicon | None = None


def shared_lexicon() -> Lexicon:
    global _shared
    if _shared is None:
        _shared = default_lexicon()
    return _shared


def set_shared_lexicon(lex: Lexicon) -> None:
    global _shared
    _shared = lex
