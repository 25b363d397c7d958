"""Quotes: who says (claims, announces, criticises, wants ...) what, each with its cue, content span and
speaker resolved to an actor.

Forms, all found from the parse and general word lists, never from names:

- direct quotes: '"...," he said', 'X said: "..."', '"..." -- Name', a quote continued after its
  attribution ('"Q1," X said. "Q2."' is one quote, also when Q2 opens the next paragraph) and an
  unattributed quote near an attributed one;
- indirect: 'X said (that) ...', '..., X says', '... , said X', 'The plan, X said, ...', 'X, who said ...',
  '..., saying ...', 'X was quoted as saying ...', 'according to X, ...', 'X told reporters ...';
- attribution verbs with a noun-phrase, infinitive or prepositional content ('X called for ...',
  'X criticized ...', 'X vowed to ...', 'X accused Y of ...', 'X was criticized by Y for ...'), nouns
  ('his claim that ...', 'criticism of ...'), 'X expressed concern about ...', 'X is critical of ...',
  'X seems to ...', 'X is expected to ...';
- mixed: an indirect content that contains quoted words;
- 'NAME: ...' lines (interview transcripts, 'Name: "..."', titles 'Name: claim').

Content spans follow the usual attribution annotation (PARC, PolNeAR): they exclude the cue and the
source, keep a complementizer 'that', and drop edge punctuation. A cue inside another quote's content
('X said Y wants Z') is left to the outer quote.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from sitrep.pipeline import ext
from sitrep.pipeline.actors import ActorSet


def _words(text: str) -> set[str]:
    return set(text.split())


# Attribution verbs and the kinds of content they take:
#   c = a clause (ccomp, a direct quote, or the clause the attribution interrupts or trails: '..., X said'),
#   x = an infinitive ('vowed to ...'), d = a noun phrase object ('criticized the plan').
# Prepositional contents ('called for ...') are in PREP_CUES.
_CLAUSE = _words(
    "say tell add state announce estimate warn report claim confirm insist argue note explain predict reveal "
    "allege acknowledge stress declare deny admit indicate suggest write tweet reiterate assert maintain caution "
    "disclose emphasise emphasize recount testify contend concede observe remark respond reply counter complain "
    "charge conclude answer affirm underline highlight joke boast brag quip shout yell chant scream muse lament "
    "speculate hint posit theorize reason recall concur agree believe fear worry hope expect find show calculate "
    "project forecast determine rule vow promise pledge threaten swear guarantee assure ask wonder question "
    "continue post read think know feel see point learn imply signal suspect doubt remind convince persuade "
    "gripe grumble surmise figure reckon guess notice realize realise recognize recognise understand remember "
    "forget")
_INFINITIVE = _words(
    "vow promise pledge threaten refuse decline urge plan want seek agree offer call intend propose demand hope "
    "expect ask continue swear vote push aim report prefer plead order exhort encourage implore beg convince "
    "persuade")
_OBJECT = _words(
    "call support endorse criticize criticise praise accuse cite propose want seek deny reject oppose defend "
    "attack blast slam denounce condemn mock blame question dismiss demand recommend describe mention discuss "
    "tout hail applaud thank congratulate highlight express back favor favour embrace urge echo repeat recall "
    "predict acknowledge admit confirm dispute disavow label brand dub announce reveal release say tell ask "
    "answer argue claim suggest report estimate warn note explain decry lament rebuke scold chide lambaste "
    "lambast fault assail ridicule insult advocate champion promote outline detail pitch reiterate stress "
    "emphasize emphasise forecast concede reference show offer tweet declare disclose counter state chant "
    "portray regard characterize characterise paint deem consider see share prefer list compare ignore "
    "articulate rebuff interpret document cheer publish exhort implore understate overstate downplay exaggerate "
    "laud commend salute berate disparage belittle deride rule sponsor co-sponsor doubt spurn snub")
CUES: dict[str, set[str]] = {}
for _kind, _set in (("c", _CLAUSE), ("x", _INFINITIVE), ("d", _OBJECT)):
    for _w in _set:
        CUES.setdefault(_w, set()).add(_kind)
PREP_CUES: dict[str, set[str]] = {
    "call": {"for", "on"}, "point": {"to"}, "refer": {"to"}, "talk": {"about"}, "speak": {"about", "of"},
    "complain": {"about", "of"}, "warn": {"of", "about", "against"}, "focus": {"on"}, "comment": {"on"},
    "insist": {"on"}, "argue": {"for", "against"}, "rail": {"against"}, "push": {"for"}, "advocate": {"for"},
    "apologize": {"for"}, "apologise": {"for"}, "campaign": {"for", "against"}, "testify": {"about", "on"},
    "joke": {"about"}, "write": {"about"}, "tweet": {"about"}, "boast": {"about", "of"}, "brag": {"about"},
    "lash": {"at"}, "hit": {"at"}, "vote": {"for", "against"}, "weigh": {"in"}, "express": {"about"},
    "respond": {"to"}, "reply": {"to"}, "object": {"to"}, "agree": {"with", "on"}, "disagree": {"with", "on"},
    "balk": {"at"}, "fire": {"back"}, "criticize": {"for"}, "praise": {"for"}, "blame": {"for"},
    "thank": {"for"}, "accuse": {"of"}, "ask": {"about"}, "remark": {"on"},
}
# Verbs whose object is the addressee ('told reporters that ...').
RECIPIENT_VERBS = _words("tell ask remind assure warn inform convince persuade urge notify advise brief caution "
                         "promise show teach reassure")
# Coordinated verbs that start an attribution of their own ('said X and criticized Y').
CONJ_CUES = _words("say tell add criticize criticise quote call note argue claim insist warn accuse praise urge "
                   "ask vow promise announce deny acknowledge admit blame suggest predict pledge write tweet")
# Cues only for a direct quote ('"...," he continued').
DIRECT_ONLY = {"continue"}
# 'X seems to ...', 'X is expected to ...': the content is X and the infinitive, with no source.
RAISING = {"seem", "appear"}
PASSIVE_RAISING = _words("expect believe think know say report project predict intend")
# Verbs that attribute a view only with 'as': 'cast herself as ...', 'views the deal as ...'.
AS_VERBS = _words("cast view identify name see regard describe portray paint brand label characterize dub hail "
                  "tout depict frame position present pitch bill peg style")
# 'In a statement, ...', 'In the poll, ...': a document or medium as the source of the sentence.
SOURCE_DOCS = _words("poll polls survey surveys book statement interview interviews speech letter report study memo "
                     "op-ed column tweet tweets post email e-mail video ad advertisement filing lawsuit complaint "
                     "testimony remarks editorial essay article memoir autobiography message mind view opinion")
OBJECT_PREPS = _words("as for of to with about against over ahead into from")
# Nominal cues: 'his claim that ...', 'her criticism of ...', 'the group's call for ...'.
NOUN_CUES = _words(
    "statement claim assertion promise pledge vow fear fears concern concerns warning warnings threat complaint "
    "complaints criticism criticisms accusation accusations charge suggestion proposal call calls demand demands "
    "belief view views argument contention insistence hope hopes prediction assurance assurances denial "
    "admission comment comments remark remarks announcement endorsement endorsements support opposition praise "
    "attack attacks dislike goal plan plans interpretation case position stance message assessment estimate "
    "allegation allegations explanation insinuation conclusion finding findings defense defence rejection "
    "condemnation opinion doubts skepticism confidence suspicion recognition rhetoric description "
    "characterization reference references appeal plea request offer boast insult insults attitude attitudes "
    "tone question questions")
NOUN_PREPS = _words("of for about on toward towards to against over that")
# ... and those that need no possessor: 'criticism of X', 'questions about X', 'support for X'.
BARE_NOUN_CUES = {(n, p) for n, ps in (
    ("support", "for"), ("criticism", "of"), ("questions", "about over"), ("question", "about of"),
    ("opposition", "to"), ("endorsement", "of"), ("endorsements", "of"), ("calls", "for"), ("call", "for"),
    ("attacks", "on"), ("attack", "on"), ("concerns", "about over"), ("concern", "about over"),
    ("allegations", "of"), ("claims", "of"), ("promise", "of"), ("promises", "of"), ("views", "on"),
    ("view", "of on"), ("praise", "for"), ("complaints", "about of"), ("warnings", "about of"),
    ("warning", "about of"), ("demands", "for"), ("pledge", "of"), ("accusations", "of"), ("doubts", "about"),
    ("fears", "of about"), ("criticisms", "of"), ("condemnation", "of"), ("rejection", "of"),
    ("defense", "of"), ("defence", "of"), ("skepticism", "about of"), ("hostility", "toward towards to"))
    for p in ps.split()}
# 'X was critical of ...', 'X is confident that ...', 'X is a longtime supporter of ...'.
STANCE_ADJ = _words(
    "critical supportive skeptical sceptical confident adamant clear sure certain optimistic pessimistic opposed "
    "sympathetic aware concerned worried convinced hopeful doubtful wary eager willing unwilling happy unhappy "
    "proud angry upset disappointed outraged outspoken vocal determined reluctant fine interested satisfied "
    "frustrated furious grateful glad afraid open committed inclined ready keen dismissive enthusiastic "
    "insistent firm emphatic explicit candid silent quiet mum sorry appreciative cautious nervous anxious "
    "alarmed troubled disturbed encouraged pleased thrilled excited positive fond tired sick weary suspicious "
    "distrustful contemptuous scornful hostile")
STANCE_NOUNS = _words("supporter backer critic opponent proponent advocate champion fan booster sponsor defender "
                      "architect ally foe skeptic sceptic admirer detractor endorser author believer")
# 'expressed concern about X', 'took aim at X', 'made the case that ...': a verb and a stance noun.
LIGHT_VERBS = _words("express voice raise offer show make take draw give lend throw signal register level lodge "
                     "file issue extend pose air")
STANCE_OBJECTS = _words(
    "concern concerns support criticism criticisms doubt doubts opposition question questions case aim issue "
    "exception objection objections reservations praise sympathy enthusiasm skepticism scepticism confidence "
    "frustration disappointment outrage alarm regret condolences thanks approval disapproval backing weight "
    "shot shots swipe swipes jab jabs dig digs clear point complaint complaints charges accusations allegations "
    "warning warnings endorsement apology assurances defense defence argument pitch plea appeal call calls "
    "promise pledge commitment fears worries misgivings qualms views thoughts opinion opinions admiration "
    "respect contempt disdain interest preference hope hopes statement remarks comments challenge threat "
    "ultimatum rebuke condemnation tribute nod")
STANCE_PREPS = _words("about over for with to at on of against toward towards in regarding")
RELATIVE = {"who", "that", "which", "whom"}
SUBJ_DEPS = {"nsubj", "csubj"}
OPEN_QUOTES = "\"\u201c\u201e"
QUOTE_RE = re.compile(
    r"\u201c([^\u201c\u201d]{2,}?)[\u201d\"]"   # curly
    r"|\"([^\"\u201c\u201d\n]{2,}?)[\"\u201d]"  # straight
    r"|(?:''|``)((?:(?!'')[^\n]){2,}?)''",      # typewriter ''...'' or ``...'', within a paragraph
    re.S)
# '"WALLACE: ...': a quote mark may open each paragraph of a transcript quoted at length
PARAGRAPH_CLOSER = re.compile(r"((?:^|\n)[ \t]*)\u201d(?=\w)")
NAME_COLON_RE = re.compile(r"^(?:[\"\u201c]\s*)?([A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){0,3})\s*:\s+(?=\S)")
DASH_RE = re.compile(r"\s*[\u2015\u2014\u2013]\s*(?=[A-Z])")  # used with .match(text, pos)
NOT_NAMES = _words("update note editor photo video watch read related correction source sources credit listen see "
                   "image warning breaking exclusive analysis opinion q a question answer poll report live more "
                   "also why what how when where who here this that the and but so")


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
    pieces: list[tuple[int, int]] = field(default_factory=list)  # the content without what interrupts it

    def contains(self, start: int, end: int) -> bool:
        return self.start <= start and end <= self.end


def _span_chars(tokens: list[Token]) -> tuple[int, int]:
    tokens = [t for t in tokens if not t.is_space]
    tokens.sort(key=lambda t: t.i)
    while tokens and (tokens[0].is_punct and tokens[0].text not in {"[", "("} and not _is_quote(tokens[0])):
        tokens = tokens[1:]
    while tokens and tokens[-1].is_punct and tokens[-1].text not in {"]", ")", "%"} and not _is_quote(tokens[-1]):
        tokens = tokens[:-1]
    # a quote mark only counts when it is part of the content, not trailing after a comma
    while len(tokens) > 1 and _is_quote(tokens[-1]) and tokens[-2].text in {",", ".", ":", ";"}:
        tokens = tokens[:-2]
    if not tokens:
        return (0, 0)
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _is_quote(token: Token) -> bool:
    return token.text in {"\"", "\u201c", "\u201d", "''", "``", "'", "\u2018", "\u2019"}


def _claim(structure, char: int) -> bool:
    """Whether a position holds the article's own claims; a title-like first line (a 'heading') does."""
    if structure is None or structure.is_claim(char):
        return True
    block = structure.at(char)
    return block is not None and block.kind == "heading" and bool(structure.blocks) and block is structure.blocks[0]


def _lemma(token: Token) -> str:
    lemma = token.lemma_.lower()
    if lemma == "hop" and token.lower_.startswith("hope"):
        return "hope"
    return lemma


def _raising(verb: Token, lemma: str) -> list[Token] | None:
    """'X seems to ...' / 'X is expected to ...': X and the infinitive (when the infinitive is no cue itself)."""
    if verb.pos_ not in {"VERB", "AUX"}:
        return None
    xcomp = next((c for c in verb.children if c.dep_ == "xcomp" and c.i > verb.i), None)
    if xcomp is None or _lemma(xcomp) in CUES or _lemma(xcomp) in PREP_CUES:
        return None
    deps = {"nsubj"} if lemma in RAISING else {"nsubjpass"}
    subj = next((c for c in verb.children if c.dep_ in deps), None)
    if subj is None or subj.lower_ in RELATIVE | {"it", "there"}:
        return None
    if lemma not in RAISING and any(c.dep_ == "agent" for c in verb.children):
        return None
    return [*subj.subtree, *xcomp.subtree]


def _subject(verb: Token, depth: int = 0) -> Token | None:
    """The source of an attribution verb: its subject, the subject of the clause it hangs from
    ('..., saying ...', 'and added ...'), the antecedent of 'who' ('X, who said ...') or the passive
    subject of 'X was quoted as saying'."""
    for child in verb.children:
        if child.dep_ in SUBJ_DEPS:
            if child.lower_ in RELATIVE and verb.dep_ == "relcl" and verb.head.pos_ in {"NOUN", "PROPN", "PRON"}:
                return verb.head
            return child
    if depth >= 3:
        return None
    head = verb.head
    if head.i == verb.i:
        return None
    if verb.dep_ == "conj" and head.pos_ in {"VERB", "AUX"}:
        return _subject(head, depth + 1)
    if verb.dep_ == "xcomp" and head.pos_ in {"VERB", "AUX"} and verb.i > head.i:
        return _subject(head, depth + 1)
    if verb.dep_ == "advcl" and head.pos_ in {"VERB", "AUX"} and verb.tag_ == "VBG":
        return _subject(head, depth + 1)  # '..., saying ...', 'while denouncing ..., she ...'
    if verb.dep_ == "pcomp" and head.lower_ == "as" and head.head.lemma_ in {"quote", "describe", "cite"}:
        passive = next((c for c in head.head.children if c.dep_ == "nsubjpass"), None)
        return passive
    if verb.dep_ == "pcomp" and verb.tag_ == "VBG" and head.dep_ == "prep" and head.head.pos_ in {"VERB", "AUX"}:
        return _subject(head.head, depth + 1)  # 'by calling for ...', 'after hinting that ...'
    if verb.dep_ in {"relcl", "acl"} and head.pos_ in {"NOUN", "PROPN"} and verb.i > head.i and (
            verb.tag_ == "VBG" or any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)):
        return head  # 'a new ad hitting him', 'the first senators to endorse him'
    return None


def _subject_span(subj: Token) -> Span:
    doc = subj.doc
    left = subj.left_edge.i
    right = subj.i + 1
    # keep appositions and "of X" but stop at relative clauses
    for child in subj.rights:
        if child.dep_ in {"prep", "appos", "compound", "amod", "punct"}:
            right = max(right, child.right_edge.i + 1)
        elif child.dep_ in {"relcl", "acl"}:
            break
    while right - 1 > left and doc[right - 1].is_punct:
        right -= 1
    return doc[left:right]


@Language.factory("sitrep_quotes_v1", assigns=["doc._.quotes"], requires=["doc._.actors", "doc._.blocks"])
def make_quotes(nlp: Language, name: str) -> QuotesComponent:
    return QuotesComponent()


class _Direct:
    """Direct quotations of a document (inner spans, without their marks), with a position index."""

    def __init__(self, doc: Doc, structure) -> None:
        self.spans: list[tuple[int, int]] = []
        self.short: list[tuple[int, int]] = []  # one to three words: a quote only right beside its cue
        text = ext.text_of(doc)
        # a paragraph that opens with a closing mark ('”Mr. X embodies ...”') opens a quote all the same
        for m in QUOTE_RE.finditer(PARAGRAPH_CLOSER.sub("\\1\u201c", text)):
            g = 1 if m.group(1) is not None else 2 if m.group(2) is not None else 3
            s, e = m.start(g), m.end(g)
            inner = text[s:e]
            if not _claim(structure, m.start()) or ("\n" in inner.strip() and g != 1):
                continue
            (self.spans if len(inner.split()) >= 4 else self.short).append((s, e))
        self.starts = [s for s, _ in self.spans]
        self.short_starts = [s for s, _ in self.short]
        self.used: set[int] = set()

    def short_at(self, char: int) -> tuple[int, int] | None:
        i = bisect_right(self.short_starts, char) - 1
        if i >= 0 and self.short[i][0] <= char < self.short[i][1]:
            return self.short[i]
        return None

    def at(self, char: int) -> int | None:
        i = bisect_right(self.starts, char) - 1
        if i >= 0 and self.spans[i][0] <= char < self.spans[i][1]:
            return i
        return None

    def within(self, start: int, end: int) -> list[int]:
        lo = bisect_right(self.starts, start) - 1
        out = []
        for i in range(max(lo, 0), len(self.spans)):
            s, e = self.spans[i]
            if s >= end:
                break
            if s < end and start < e:
                out.append(i)
        return out


class QuotesComponent:
    def __call__(self, doc: Doc) -> Doc:
        acts: ActorSet = doc._.actors
        structure = doc._.blocks
        doc_text = ext.text_of(doc)  # Doc.text is rebuilt on every access
        direct = _Direct(doc, structure)
        quotes: list[Quote] = []
        claimed: set[int] = set()  # tokens already inside a content

        place_tokens = {i for rp in doc._.places or () for m in rp.mentions for i in range(m.token_start, m.token_end)}
        # 'it said' / 'they said': the organisation named last, a few sentences back at most
        groups = sorted((m.start, a.name, a.kind) for a in acts.actors if a.kind != "person" for m in a.mentions)
        group_starts = [g[0] for g in groups]

        def speaker_of(subj: Token | None, span: Span | None = None) -> tuple[str | None,
                                                                             tuple[str, int, int] | None]:
            if subj is None:
                return None, None
            span = span if span is not None else _subject_span(subj)
            actor = acts.by_token.get(subj.i) or acts.at(span)
            if actor is not None and subj.i not in acts.by_token and actor.kind in {"person", "organization"} \
                    and all(t.i in place_tokens for t in span if acts.by_token.get(t.i) is actor):
                actor = None  # 'a resident of Djibo' is not Djibo, whatever the NER made of it
            mention = (span.text, span.start_char, span.end_char)
            if actor is None and subj.lower_ in {"it", "they"} and len(span) == 1:
                k = bisect_right(group_starts, subj.idx) - 1
                if k >= 0 and subj.idx - groups[k][0] < 400 and (
                        subj.lower_ == "it" or groups[k][2] in {"armed_group", "military"}):
                    return groups[k][1], mention
            return (actor.name if actor else span.text if subj.pos_ == "PROPN" else None), mention

        def emit(pieces: list[tuple[int, int]], subj: Token | Span | None, cue: str | None, cue_start: int | None,
                 verb_kind: str = "indirect", min_chars: int = 8) -> Quote | None:
            pieces = [(s, e) for s, e in sorted(pieces) if e - s > 0]
            if not pieces:
                return None
            start, end = pieces[0][0], pieces[-1][1]
            if sum(e - s for s, e in pieces) < min_chars:
                return None
            kind, said = verb_kind, " ".join(doc_text[s:e] for s, e in pieces)
            inside = direct.within(start, end)
            if inside:
                covered = sum(min(e, direct.spans[i][1]) - max(s, direct.spans[i][0]) for i in inside
                              for s, e in pieces if s < direct.spans[i][1] and direct.spans[i][0] < e)
                words = sum(len(doc_text[s:e].strip(" ,.:;\"'\u201c\u201d")) for s, e in pieces)
                if covered >= 0.8 * words:
                    kind = "direct"
                    first, last = direct.spans[inside[0]], direct.spans[inside[-1]]
                    start, end = min(start, first[0]), max(end, last[1])
                    said = " ".join(doc_text[s:e].strip() for s, e in (direct.spans[i] for i in inside)).rstrip(",")
                    pieces = [direct.spans[i] for i in inside]
                else:
                    kind = "mixed"
                direct.used.update(inside)
            if isinstance(subj, Span):
                actor = acts.at(subj)
                speaker = actor.name if actor else subj.text
                mention = (subj.text, subj.start_char, subj.end_char)
            else:
                speaker, mention = speaker_of(subj)
            q = Quote(speaker, mention, kind, cue, said.strip(), start, end, cue_start, pieces)
            quotes.append(q)
            return q

        for token in ext.tokens_of(doc):
            lemma = _lemma(token)
            if lemma in RAISING or lemma in PASSIVE_RAISING:
                raised = _raising(token, lemma)
                if raised is not None and direct.at(token.idx) is None and (
                        _claim(structure, token.idx)):
                    q = emit(_pieces(raised), None, token.text, token.idx)
                    if q is not None:
                        claimed.update(t.i for t in raised)
                        continue
            if lemma in LIGHT_VERBS and token.pos_ in {"VERB", "AUX"} and direct.at(token.idx) is None \
                    and _claim(structure, token.idx):
                found = _light(token)
                if found is not None:
                    content, cue = found
                    subj = _subject(token)
                    if subj is not None and not any(t.i in claimed for t in content):
                        q = emit(_pieces(content), subj, cue, token.idx, min_chars=2)
                        if q is not None:
                            claimed.update(t.i for t in content)
                            continue
            kinds = CUES.get(lemma)
            preps = PREP_CUES.get(lemma)
            if kinds is None and lemma in AS_VERBS and any(c.dep_ == "prep" and c.lower_ == "as" and c.i > token.i
                                                           for c in token.children):
                kinds = {"d"}  # 'cast herself as the heir', 'views X as a threat'
            if (kinds is None and preps is None) or token.pos_ not in {"VERB", "AUX"}:
                continue
            if not _claim(structure, token.idx):
                continue
            if direct.at(token.idx) is not None:
                continue
            if token.dep_ in {"acl", "relcl"} and token.tag_ == "VBN" and not any(
                    c.dep_ in {"nsubj", "aux", "nsubjpass", "auxpass"} for c in token.children):
                # 'a sentiment endorsed by the crowd', 'the bill, opposed by House Republicans,'
                if kinds and "d" in kinds and token.head.pos_ in {"NOUN", "PROPN"} and token.head.i < token.i:
                    head = token.head
                    agent = next((o for c in token.children if c.dep_ == "agent" for o in c.children
                                  if o.dep_ == "pobj"), None)
                    content = list(doc[head.left_edge.i:head.i + 1]) + [
                        t for c in token.children if c.dep_ in {"oprd", "xcomp"} or (
                            c.dep_ == "prep" and c.lower_ == "as") for t in c.subtree]
                    if not any(t.i in claimed for t in content):
                        q = emit(_pieces(content), agent, token.text, token.idx, min_chars=2)
                        if q is not None:
                            claimed.update(t.i for t in content)
                continue
            if token.dep_ in {"amod", "compound"}:
                continue
            subj = _subject(token)
            if subj is None and lemma == "ask" and token.tag_ == "VBN" and token.dep_ == "advcl":
                # 'Asked about the plan, she said ...': what was asked, with no source
                content = [t for c in token.children if c.dep_ in {"ccomp", "xcomp"} or (
                    c.dep_ == "prep" and c.lower_ in {"about", "whether", "if"}) for t in c.subtree]
                if content:
                    emit(_pieces(content), None, token.text, token.idx, min_chars=2)
                continue
            if subj is None and kinds and ("d" in kinds or "c" in kinds):
                passive = _passive(token)
                if passive is not None:
                    content, agent = passive
                    if not any(t.i in claimed for t in content):
                        q = emit(_pieces(content), agent, token.text, token.idx, min_chars=2)
                        if q is not None:
                            claimed.update(t.i for t in content)
                    continue
            if subj is None and kinds and "c" in kinds and any(c.dep_ == "ccomp" for c in token.children):
                subj = _left_actor(token, acts)  # 'Alarmed by ..., Senator X, the leader, said that ...' misparsed
            if subj is None:
                found = _trailing_attribution(token, acts)
                if found is not None and "c" in (kinds or ()):
                    subj_span, content_end = found
                    start, end = _span_chars([t for t in token.sent if t.i < content_end])
                    emit([(start, end)], subj_span, token.text, token.idx)
                continue
            if subj.dep_ == "nsubjpass" and not (token.dep_ == "pcomp"):
                continue
            if subj.lower_ in {"it", "there", "this", "what"} and lemma not in {"say", "report", "show", "find"}:
                continue
            content, how = self._content(token, subj, kinds or set(), preps or set(), direct)
            if not content:
                continue
            tokens = [t for t in content if t.i not in claimed or how == "clause"]
            if not tokens:
                continue
            pieces = _pieces(tokens)
            cue = token.text
            if how.startswith("prep:"):
                cue = f"{token.text} {how[5:]}"
            q = emit(pieces, subj, cue, token.idx, "direct" if how == "short" else "indirect",
                     min_chars=8 if how == "clause" else 2)
            if q is not None and lemma in DIRECT_ONLY and q.kind != "direct":
                quotes.remove(q)
                continue
            if q is not None:
                claimed.update(t.i for t in tokens)
        self._stance(doc, structure, direct, claimed, emit)
        self._nominal(doc, structure, direct, claimed, emit)
        self._according(doc, structure, claimed, emit)
        self._in_source(doc, structure, claimed, emit)
        self._colon_lines(doc, structure, direct, emit, acts)
        self._unattributed_direct(doc, direct, quotes, speaker_of, emit)
        quotes.sort(key=lambda q: q.start)
        doc._.quotes = _drop_nested(_merge_continuations(doc, _dedupe(quotes), direct))
        return doc

    # -- contents ---------------------------------------------------------------------------------
    @staticmethod
    def _content(verb: Token, subj: Token, kinds: set[str], preps: set[str], direct: _Direct) -> tuple[list[Token],
                                                                                                       str]:
        doc = verb.doc
        skip = set(range(subj.left_edge.i, subj.right_edge.i + 1)) if subj.head.i == verb.i else set()
        clauses = [c for c in verb.children if c.dep_ == "ccomp" and c.i not in skip]
        if "c" in kinds and clauses:
            tokens: list[Token] = []
            for c in clauses:
                tokens.extend(_content_tokens(c))
            if verb.lemma_.lower() not in RECIPIENT_VERBS:
                # 'voters said life ... would be worse': the clause's subject parsed as the verb's object
                obj = next((c for c in verb.children if c.dep_ == "dobj" and verb.i < c.i < clauses[0].i), None)
                if obj is not None and obj.right_edge.i + 1 == clauses[0].left_edge.i:
                    tokens = list(obj.subtree) + tokens
            return tokens, "clause"
        if "c" in kinds:
            # "..., X said." / "..., said X." with the content parsed as the verb's head
            head = verb.head
            # ('The plan, they said, never worked.': the attribution set off inside its content)
            if verb.dep_ in {"parataxis", "ccomp", "advcl"} and head.i != verb.i and head.pos_ in {
                    "VERB", "AUX", "NOUN", "ADJ", "PROPN"}:
                left = min(subj.left_edge.i, verb.left_edge.i)
                right = verb.right_edge.i
                if left > verb.sent.start and (doc[left].is_punct or doc[left - 1].is_punct or _is_quote(
                        doc[left - 1])) and (
                        head.i < verb.i or (right + 1 < len(doc) and doc[right].is_punct or doc[right + 1].is_punct)):
                    attribution = set(range(left, right + 1))
                    tokens = [t for t in head.subtree if t.i not in attribution and not (
                        t.i > right and t.dep_ in {"cc"})]
                    if tokens and tokens[0].i < left:
                        return tokens, "clause"
            # '"...," he said': the quote that ends right before the attribution (in its sentence or not)
            left = min(subj.left_edge.i, verb.i)
            sent = verb.sent
            if left > 0 and (doc[left - 1].text in {",", ":"} or _is_quote(doc[left - 1])):
                edge = doc[left - 1].idx
                for char in (edge - 1, edge - 2, edge - 3):
                    i = direct.at(char) if char >= 0 else None
                    if i is not None:
                        span = doc.char_span(*direct.spans[i], alignment_mode="expand")
                        if span is not None:
                            return list(span), "clause"
                        break
                before = [t for t in sent if t.i < left]
                short = direct.short_at(before[len(before) // 2].idx) if before else None
                if short is not None and (short[0] - sent.start_char) < 3:
                    return before, "short"
            # 'X said: "..."' / 'X said, "..."'
            after = doc[verb.i + 1:verb.i + 3]
            for t in after:
                if t.text in {":", ","}:
                    continue
                if _is_quote(t) and t.i + 1 < len(doc):
                    i = direct.at(doc[t.i + 1].idx)
                    short = direct.short_at(doc[t.i + 1].idx) if i is None else None
                    if i is not None or short is not None:
                        s, e = direct.spans[i] if i is not None else short
                        span = doc.char_span(s, e, alignment_mode="expand")
                        if span is not None:
                            return list(span), "clause" if short is None else "short"
                break
        if "x" in kinds:
            xcomps = [c for c in verb.children if c.dep_ == "xcomp" and c.i > verb.i]
            if xcomps:
                return [t for c in xcomps for t in c.subtree], "xcomp"
        if "d" in kinds and verb.dep_ == "relcl" and subj.head.i == verb.i and subj.lower_ not in RELATIVE \
                and verb.head.i < verb.i and verb.head.pos_ in {"NOUN", "PROPN", "PRON"} and not any(
                    c.dep_ in {"dobj", "ccomp", "xcomp"} for c in verb.children):
            # 'an approach several candidates have embraced': the noun the clause hangs from
            head = verb.head
            return list(doc[head.left_edge.i:head.i + 1]), "object"
        if "d" in kinds:
            objs = [c for c in verb.children if c.dep_ in {"dobj", "oprd"} and c.i > verb.i]
            if objs:
                # the object and what completes it: 'pitched X as Y', 'accused X of Y', 'urged X to Y',
                # 'called X Y', 'showed X with a lead', 'scolded X for Y'
                extra = []
                for c in verb.children:
                    if c.i <= objs[0].i or c in objs:
                        continue
                    if c.dep_ in {"punct", "cc", "conj", "advcl", "parataxis"}:
                        break
                    if c.dep_ in {"xcomp", "oprd", "ccomp", "acomp", "npadvmod"} or (
                            c.dep_ == "prep" and (c.lower_ in OBJECT_PREPS)):
                        extra.append(c)
                if verb.lemma_.lower() in {"tell", "ask"} and not extra:
                    objs = []
                else:
                    objs += extra
            if objs:
                tokens = [t for c in objs for t in _phrase(c)]
                if objs[0].lower_ in {"it", "this", "that", "what", "which", "something", "anything", "nothing"} \
                        and len(tokens) == 1:
                    return [], ""
                return tokens, "object"
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ in preps and child.i > verb.i:
                objs = [c for c in child.children if c.dep_ in {"pobj", "pcomp"}]
                if objs:
                    # 'called for X to do Y'
                    objs += [c for c in verb.children if c.dep_ in {"xcomp", "ccomp"} and c.i > child.i]
                    return [t for c in objs for t in _phrase(c)], f"prep:{child.text}"
        return [], ""

    # -- other forms ------------------------------------------------------------------------------
    @staticmethod
    def _stance(doc: Doc, structure, direct: _Direct, claimed: set[int], emit) -> None:
        """'X was critical of ...', 'X is confident that ...', 'X is a supporter of ...'."""
        for token in ext.tokens_of(doc):
            if token.lemma_ != "be" or not _claim(structure, token.idx) or direct.at(token.idx) is not None:
                continue
            subj = next((c for c in token.children if c.dep_ == "nsubj"), None)
            if subj is None:
                continue
            if subj.lower_ in RELATIVE and token.dep_ == "relcl":
                subj = token.head
            owner = next((c for c in subj.children if c.dep_ == "poss"), None)
            if subj.lower_ in NOUN_CUES | {"response", "answer", "view", "point", "message", "reply", "argument"} \
                    and owner is not None:
                # 'His message is that ...', 'Her response was: "..."'
                rest = [t for c in token.children if c.i > token.i and c.dep_ in {"ccomp", "attr", "xcomp", "acomp"}
                        for t in c.subtree]
                if rest and not any(t.i in claimed for t in rest):
                    if emit(_pieces(rest), owner, f"{subj.text} {token.text}", subj.idx, min_chars=2) is not None:
                        claimed.update(t.i for t in rest)
                continue
            for c in token.children:
                if c.i < token.i:
                    continue
                content: list[Token] = []
                if c.dep_ == "acomp" and c.lower_ in STANCE_ADJ:
                    for g in c.children:
                        if g.dep_ in {"ccomp", "xcomp"}:
                            content = list(g.subtree)
                        elif g.dep_ == "prep" and g.lower_ in {"of", "about", "to", "that", "on", "with", "in",
                                                                  "toward", "towards", "at", "over"}:
                            content = [t for o in g.children if o.dep_ in {"pobj", "pcomp"} for t in o.subtree]
                        if content:
                            break
                elif c.dep_ == "attr" and c.lemma_.lower() in STANCE_NOUNS:
                    prep = next((g for g in c.children if g.dep_ == "prep" and g.lower_ == "of"), None)
                    if prep is not None:
                        content = [t for o in prep.children if o.dep_ in {"pobj", "pcomp"} for t in o.subtree]
                if content and not any(t.i in claimed for t in content):
                    q = emit(_pieces(content), subj, c.text, c.idx, min_chars=2)
                    if q is not None:
                        claimed.update(t.i for t in content)
                    break

    @staticmethod
    def _nominal(doc: Doc, structure, direct: _Direct, claimed: set[int], emit) -> None:
        """'his claim that ...', 'Clinton's criticism of ...': a cue noun with a clause or a prepositional content."""
        for token in ext.tokens_of(doc):
            if token.lower_ not in NOUN_CUES or token.pos_ != "NOUN" or token.i in claimed:
                continue
            if not _claim(structure, token.idx) or direct.at(token.idx) is not None:
                continue
            poss = next((c for c in token.children if c.dep_ == "poss"), None)
            content: list[Token] = []
            how = ""
            for c in token.children:
                if c.i < token.i:
                    continue
                if c.dep_ in {"acl", "ccomp"} and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children):
                    content = list(c.subtree)
                    how = "clause"
                    break
                if c.dep_ == "prep" and c.lower_ in NOUN_PREPS and (poss is not None or (
                        token.lower_, c.lower_) in BARE_NOUN_CUES):
                    objs = [o for o in c.children if o.dep_ in {"pobj", "pcomp"}]
                    if objs:
                        content = [t for o in objs for t in o.subtree]
                        how = c.text
                        break
            if not content or any(t.i in claimed for t in content):
                continue
            q = emit(_pieces(content), poss, token.text if how == "clause" else f"{token.text} {how}", token.idx,
                     min_chars=2)
            if q is not None:
                claimed.update(t.i for t in content)

    @staticmethod
    def _according(doc: Doc, structure, claimed: set[int], emit) -> None:
        """'According to X, ...': the rest of the sentence."""
        for token in ext.tokens_of(doc):
            if token.lower_ != "according" or token.i + 2 >= len(doc) or doc[token.i + 1].lower_ != "to":
                continue
            if not _claim(structure, token.idx):
                continue
            obj = next((c for c in doc[token.i + 1].children if c.dep_ == "pobj"), None)
            if obj is None:
                continue
            skip = set(range(token.i, obj.right_edge.i + 1))
            tokens = [t for t in token.sent if t.i not in skip]
            if emit(_pieces(tokens), obj, "according to", token.idx) is not None:
                claimed.update(t.i for t in tokens)

    @staticmethod
    def _in_source(doc: Doc, structure, claimed: set[int], emit) -> None:
        """'In a statement, ...', 'In the latest poll, ...': the rest of the sentence, from that source."""
        for token in ext.tokens_of(doc):
            if token.lower_ != "in" or token.dep_ != "prep" or not _claim(structure, token.idx):
                continue
            obj = next((c for c in token.children if c.dep_ == "pobj"), None)
            if obj is None or obj.lemma_.lower() not in SOURCE_DOCS or token.head.pos_ not in {"VERB", "AUX"}:
                continue
            sent = token.sent
            end = obj.right_edge.i + 1
            # set off at the start of the sentence: 'In a statement, ...' / 'In the poll, ...'
            if token.i != sent.start or end >= sent.end or doc[end].text != ",":
                continue
            tokens = [t for t in sent if t.i > end]
            if not tokens or any(t.i in claimed for t in tokens):
                continue
            owner = next((c for c in obj.children if c.dep_ == "poss"), None)
            if emit(_pieces(tokens), owner if owner is not None else obj, f"in {obj.text}", token.idx) is not None:
                claimed.update(t.i for t in tokens)

    @staticmethod
    def _colon_lines(doc: Doc, structure, direct: _Direct, emit, acts: ActorSet) -> None:
        """'NAME: what they said' lines (transcripts), 'Name: "..."' and titles 'Name: claim'."""
        if structure is None:
            return
        for n, block in enumerate(structure.blocks):
            if block.kind == "related" or (block.kind == "heading" and n > 0):
                continue
            m = NAME_COLON_RE.match(block.text)
            if m is None or m.group(1).lower() in NOT_NAMES or m.group(1).split()[0].lower() in NOT_NAMES:
                continue
            name = m.group(1)
            rest_start = block.start + m.end()
            is_caps = name.replace(".", "").replace(" ", "").isupper() and len(name) > 2
            name_start = block.start + m.start(1)
            span = doc.char_span(name_start, name_start + len(name), alignment_mode="expand")
            if span is None:
                continue
            named = any(e.label_ in {"PERSON", "ORG"} for e in span.ents) or any(
                acts.by_token.get(t.i) is not None and acts.by_token[t.i].kind != "state" for t in span)
            title = n == 0 or len(block.text.split()) <= 25
            if not (is_caps or (named and title)):
                continue
            emit([(rest_start, block.end)], span, ":", name_start + len(name), "direct" if is_caps else "indirect",
                 min_chars=2)

    @staticmethod
    def _unattributed_direct(doc: Doc, direct: _Direct, quotes: list[Quote], speaker_of, emit) -> None:
        """Direct quotes no verb claimed: '"..." -- Name', an attribution verb nearby, else the last speaker."""
        text = ext.text_of(doc)
        for i, (s, e) in enumerate(direct.spans):
            if i in direct.used:
                continue
            span = doc.char_span(s, e, alignment_mode="expand")
            if span is None:
                continue
            close = e + 1 if e < len(text) and text[e] in "\"\u201d'" else e
            if text.startswith("''", e):
                close = e + 2
            m = DASH_RE.match(text, close)
            if m is not None:
                name = doc.char_span(m.end(), min(len(text), m.end() + 80), alignment_mode="expand")
                if name is not None:
                    toks = []
                    for t in name:
                        if t.is_punct or t.text == "\n" or t.is_space:
                            break
                        toks.append(t)
                    if toks:
                        who = doc[toks[0].i:toks[-1].i + 1]
                        emit([(s, e)], who, m.group(0).strip(), m.start() + m.group(0).index(m.group(0).strip()),
                             "direct")
                        continue
            sents = list(span.sents)
            around = [t for t in sents[0] if t.i < span.start] + [t for t in sents[-1] if t.i >= span.end]
            speaker, mention, cue, cue_start = None, None, None, None
            for t in around:
                if t.lemma_.lower() in CUES and "c" in CUES[t.lemma_.lower()] and t.pos_ in {"VERB", "AUX"}:
                    subj = _subject(t)
                    if subj is not None:
                        speaker, mention = speaker_of(subj)
                        cue, cue_start = t.text, t.idx
                        break
            if speaker is None and mention is None:
                prev = max((q for q in quotes if q.end <= s and s - q.end < 400 and q.speaker),
                           key=lambda q: q.end, default=None)
                if prev is not None:
                    speaker, mention = prev.speaker, prev.speaker_mention
            quotes.append(Quote(speaker, mention, "direct", cue, text[s:e].strip().rstrip(","), s, e, cue_start))
            direct.used.add(i)


def _pieces(tokens: list[Token]) -> list[tuple[int, int]]:
    """Character pieces of a token set: runs of consecutive tokens, edge punctuation trimmed."""
    tokens = sorted({t.i: t for t in tokens}.values(), key=lambda t: t.i)
    runs: list[list[Token]] = []
    for t in tokens:
        if runs and t.i == runs[-1][-1].i + 1:
            runs[-1].append(t)
        else:
            runs.append([t])
    out = []
    for run in runs:
        s, e = _span_chars(run)
        if e > s:
            out.append((s, e))
    return out


def _merge_continuations(doc: Doc, quotes: list[Quote], direct: _Direct) -> list[Quote]:
    """'"Q1," X said. "Q2."': Q2 continues Q1 when only the attribution stands between them."""
    text = ext.text_of(doc)
    out: list[Quote] = []
    for q in quotes:
        # the last direct quote, past contents inside the gap ('..., referring to X.') but not inside itself
        at = next((k for k in range(len(out) - 1, -1, -1) if out[k].kind in {"direct", "mixed"}), None)
        prev = out[at] if at is not None else None
        if prev is not None and any(o.start < prev.end for o in out[at + 1:]):
            prev = None
        gap = text[prev.end:q.start] if prev is not None else ""
        after_attribution = prev is not None and prev.cue_start is not None and (
            prev.end <= prev.cue_start < q.start and "\n" not in gap and q.start - prev.end < 200
            and (q.cue_start is None or q.cue_start == prev.cue_start)
            and (q.speaker is None or q.speaker == prev.speaker or q.cue_start is None))
        # a quote opening the next paragraph with no attribution of its own goes on with the last one
        # (when the rest of the paragraph before it is short: the attribution, not a new statement)
        next_paragraph = prev is not None and prev.cue_start is not None and q.cue_start is None and (
            len(gap.split("\n", 1)[0]) <= 80 and gap.count("\n") <= 2 and len(gap) < 300
            and text[text.rfind("\n", 0, q.start) + 1:q.start].strip(OPEN_QUOTES + "'` ") == "")
        if prev is not None and q.kind == "direct" and prev.kind in {"direct", "mixed"} and prev.end <= q.start \
                and (after_attribution or next_paragraph):
            prev.text = f"{prev.text}{'' if prev.text.endswith((',', '.', '?', '!')) else ','} {q.text}"
            prev.end = q.end
            prev.pieces = (prev.pieces or [(prev.start, prev.end)]) + (q.pieces or [(q.start, q.end)])
            continue
        out.append(q)
    return out


def _drop_nested(quotes: list[Quote]) -> list[Quote]:
    """A cue inside another quote's content reports what that speaker said ('X said Y wants Z'): keep the outer."""
    out = []
    for q in quotes:
        nested = q.cue_start is not None and any(
            o is not q and o.start <= q.start and q.end <= o.end + 2 and any(
                s <= q.cue_start < e for s, e in (o.pieces or [(o.start, o.end)])) for o in quotes
            if o.start <= q.cue_start < o.end)
        if not nested:
            out.append(q)
    return out


def _left_actor(verb: Token, acts: ActorSet) -> Token | None:
    """The actor named just before a verb the parser gave no subject, past appositions and commas only."""
    doc = verb.doc
    for j in range(verb.i - 1, max(verb.sent.start, verb.i - 12) - 1, -1):
        t = doc[j]
        if t.i in acts.by_token:
            return t
        if t.pos_ in {"VERB", "AUX", "SCONJ"} or t.text in {".", ";", ":"} or _is_quote(t):
            return None
    return None


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


def _passive(verb: Token) -> tuple[list[Token], Token | None] | None:
    """'X was criticized (by Y) for Z', 'she was declared the winner': X and its complement; the agent Y."""
    subj = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if subj is None or subj.lower_ in RELATIVE | {"it", "there"} or verb.dep_ in {"amod", "compound"}:
        return None
    agent = None
    rest: list[Token] = []
    for c in verb.children:
        if c.i < verb.i:
            continue
        if c.dep_ == "agent":
            agent = next((o for o in c.children if o.dep_ == "pobj"), None)
        elif c.dep_ in {"oprd", "xcomp", "ccomp", "attr"} or (c.dep_ == "prep" and c.lower_ in OBJECT_PREPS):
            rest.extend(c.subtree)
        elif c.dep_ in {"punct", "cc", "conj"}:
            break
    if not rest and agent is None:
        return None
    return [*subj.subtree, *rest], agent


def _light(verb: Token) -> tuple[list[Token], str] | None:
    """'expressed concern about X' -> (X, 'expressed concern about'); 'made clear that ...' -> the clause."""
    obj = next((c for c in verb.children if c.dep_ in {"dobj", "ccomp", "acomp", "oprd"} and c.i > verb.i), None)
    if obj is None or obj.lower_ not in STANCE_OBJECTS:
        return None
    for holder in (obj, verb):
        for c in holder.children:
            if c.i <= obj.i:
                continue
            if c.dep_ in {"ccomp", "acl"} and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children):
                return list(c.subtree), f"{verb.text} {obj.text}"
            if c.dep_ == "prep" and c.lower_ in STANCE_PREPS:
                objs = [o for o in c.children if o.dep_ in {"pobj", "pcomp"}]
                if objs:
                    return [t for o in objs for t in _phrase(o)], f"{verb.text} {obj.text} {c.text}"
    if verb.lemma_ == "make" and obj.lower_ == "clear":
        clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
        if clause is not None:
            return list(clause.subtree), f"{verb.text} clear"
    return None


def _phrase(head: Token) -> list[Token]:
    """A noun phrase without what a comma sets off after it ('Ben Carson, a neurosurgeon who ...',
    'Franklin Graham, who has vowed ...')."""
    cut: set[int] = set()
    for c in head.rights:
        if c.dep_ in {"appos", "relcl", "acl", "advcl"} and c.i > 0 and c.doc[c.left_edge.i - 1].text in {",", "-",
                                                                                                     "\u2014"}:
            cut.update(range(c.left_edge.i - 1, c.right_edge.i + 1))
    return [t for t in head.subtree if t.i not in cut]


def _content_tokens(root: Token) -> list[Token]:
    """The content clause without a coordinated attribution of its own ('..., and the UN estimates ...',
    '... and said "..."')."""
    cut: set[int] = set()
    for t in root.subtree:
        if t.dep_ == "conj" and t.lemma_ in CUES and (any(c.dep_ == "nsubj" for c in t.children) or (
                t.lemma_ in CONJ_CUES and t.head.i == root.i)):
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
