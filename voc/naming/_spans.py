"""Words and candidate phrases of a text, as character spans, from one MeCab parse.

Tokens (:class:`voc.tokenize.Tokenizer`) are dictionary forms; a name must be what people wrote,
so this module works on surfaces and their character offsets in the text.

A **word** here is what a reader would not cut: a compound noun (a run of nouns, prefixes and
noun-like suffixes: コロナ禍, 部屋食, 初期費用, お子様ランチ) with a short verb stem that runs
straight into it (食べ放題, 飲み放題プラン), or any other single morpheme. Formal and adverb-like nouns
(ため, 今回) end a compound, as in the tokenizer. A span *cuts a word* when it starts or ends
inside one: 禍 and コロナ in コロナ禍, 放題 in 食べ放題.

Candidates (each a span that starts and ends on word boundaries):

- a compound noun (食べ放題, 初期費用),
- noun + の + noun (ご飯の量),
- noun + particle + predicate: a verb, adjective or adjectival noun (or a サ変 noun + する) with
  its auxiliaries (量を少なめに, 初期費用が高い, 稟議が通らない),
- adjective or adjectival noun + noun (安い料金, 静かな部屋).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from voc._tagger import RECORD_SEP

__all__ = ["Word", "words", "candidates", "personal", "word_bounds", "PARSE_FEATURES"]

#: The UniDic fields the rules read, after the surface.
PARSE_FEATURES = ("pos1", "pos2", "pos3", "cForm", "lemma")

_N, _V, _A, _S, _P, _X, _O = "N", "V", "A", "S", "P", "X", "O"
#: Particles that link a noun to its predicate in a candidate (が高い, を少なめに, は無い).
_CASE = frozenset({"が", "を", "に", "は", "も", "で", "と", "から", "まで", "より", "の"})
_FORMAL = frozenset(
    {"こと", "事", "もの", "物", "ため", "為", "よう", "様", "ところ", "所", "とき", "時", "ほう", "方"}
)
_SURU = frozenset({"為る", "出来る"})
#: Nouns and marks that judge the topic before them (電子契約は|NG, クラウドは|×, オンプレは|不可): a
#: name takes the judgment with its topic, and never is the judgment alone.
_JUDGMENTS = frozenset({"NG", "ＮＧ", "×", "✕", "✖", "不可", "無理", "ダメ", "だめ", "駄目", "不要", "必須", "必要",
                        "OK", "ＯＫ"})


class Word(NamedTuple):
    """One word of a text: its span ``text[start:end]`` and kind.

    kind: ``"N"`` compound noun, ``"V"`` verb, ``"A"`` adjective, ``"S"`` adjectival noun, ``"P"``
    particle, ``"X"`` auxiliary, ``"O"`` anything else. *sahen*: a noun that takes する (用意).
    *form*: the conjugated form of the last morpheme (``連用形-一般`` …). *formal*: a formal noun.
    *lemma*: the last morpheme's dictionary form; *key*: the dictionary forms of all its morphemes
    joined (子ども and 子供 share the key 子供).

    A named tuple, not a dataclass: naming 40 themes of 91k call notes builds about a million.
    """

    start: int
    end: int
    kind: str
    surface: str
    form: str = ""
    sahen: bool = False
    formal: bool = False
    lemma: str = ""
    key: str = ""


_KINDS = {"動詞": _V, "形容詞": _A, "形状詞": _S, "助詞": _P, "助動詞": _X}


@lru_cache(maxsize=1 << 17)
def _morpheme(record: str) -> tuple[str, str, str, bool, bool, bool, str, str, str, bool]:
    """What the rules read of one MeCab record, worked out once per distinct record (a corpus has
    far fewer distinct morphemes than morphemes): ``(surface, pos1, kind, nounish, formal, sahen,
    cForm, lemma, key, short_stem)``. *key* is the dictionary form without UniDic's gloss;
    *short_stem*: a verb stem of at most two characters that can run into a noun (食べ + 放題)."""
    f = record.split(RECORD_SEP)
    surface, pos1, pos2, pos3, cform = f[0], f[1], f[2], f[3], f[4]
    lemma = f[5] if len(f) > 5 else ""
    formal = pos1 == "名詞" and (pos3 == "副詞可能" or surface in _FORMAL or lemma in _FORMAL)
    nounish = (pos1 == "名詞" and not formal) or pos1 == "接頭辞" or (pos1 == "接尾辞" and pos2 == "名詞的")
    kind = _N if pos1 == "名詞" else _KINDS.get(pos1, _O)
    short_stem = pos1 == "動詞" and cform.startswith("連用形") and len(surface) <= 2
    return surface, pos1, kind, nounish, formal, pos3 == "サ変可能", cform, lemma, _lemma(f), short_stem


def words(text: str, records: Sequence[str]) -> list[Word]:
    """The words of *text* from its MeCab *records* (fields :data:`PARSE_FEATURES`, joined by
    :data:`voc._tagger.RECORD_SEP`), compound nouns joined. A morpheme is located in *text* from
    where the previous one ended (MeCab skips white space); one that cannot be found is skipped."""
    out: list[Word] = []
    # the current compound: (start, end, morpheme) of each part
    run: list[tuple[int, int, tuple[str, str, str, bool, bool, bool, str, str, str, bool]]] = []
    pending: tuple[int, int, tuple[str, str, str, bool, bool, bool, str, str, str, bool]] | None = None
    pos = 0
    find = text.find
    for record in records:
        m = _morpheme(record)
        surface, pos1 = m[0], m[1]
        start = find(surface, pos)
        if start < 0:  # should not happen on text MeCab was given; skip rather than misplace
            continue
        end = pos = start + len(surface)
        if m[3]:  # noun-like
            if pos1 == "接尾辞" and not run and pending is None and out and out[-1].kind == _N:
                # a suffix after a formal noun or similar: attach to the previous word
                prev = out.pop()
                out.append(
                    Word(prev.start, end, _N, text[prev.start : end], "", False, False, prev.lemma, prev.key + m[8])
                )
                continue
            if run and (start != run[-1][1] or pos1 == "接頭辞" and run[-1][2][1] != "接頭辞"):
                out.append(_compound(text, run))  # white space, or a prefix, starts a new compound
                run = []
            if pending is not None and not run and pos1 != "接頭辞" and pending[1] == start:
                run.append(pending)  # 食べ + 放題
                out.pop()
            pending = None
            run.append((start, end, m))
            continue
        if run and run[-1][2][1] == "接頭辞":  # a prefix before a verb or adjective (お + 好き): keep it whole
            pstart = run[0][0]
            run = []
            kind = m[2] if m[2] in (_V, _A, _S) else _O
            out.append(Word(pstart, end, kind, text[pstart:end], m[6], False, False, m[7], text[pstart:start] + m[8]))
            pending = None
            continue
        if run:
            out.append(_compound(text, run))
            run = []
        out.append(Word(start, end, m[2], surface, m[6], False, m[4], m[7], m[8]))
        # a short verb stem runs into a noun (食べ放題, 飲み物), a long one is a word (引き続き)
        pending = (start, end, m) if m[9] else None
    if run:
        out.append(_compound(text, run))
    return out


def _compound(
    text: str, run: list[tuple[int, int, tuple[str, str, str, bool, bool, bool, str, str, str, bool]]]
) -> Word:
    """One compound noun from its parts."""
    start, end, last = run[0][0], run[-1][1], run[-1][2]
    key = last[8] if len(run) == 1 else "".join(m[8] for _, _, m in run)
    return Word(start, end, _N, text[start:end], "", last[5], False, last[8], key)


def _lemma(fields: list[str]) -> str:
    """A morpheme's dictionary form without UniDic's gloss (コロナ-corona → コロナ); the surface
    for unknown words."""
    lemma = fields[5] if len(fields) > 5 else ""
    return lemma.split("-", 1)[0] if lemma and not lemma.startswith("-") else fields[0]


def word_bounds(text: str, records: Sequence[str]) -> tuple[set[int], set[int]]:
    """Offsets where a word of *text* starts and where one ends (see the module docstring)."""
    ws = words(text, records)
    return {w.start for w in ws}, {w.end for w in ws}


def _predicate_end(ws: list[Word], i: int, particle: str) -> int | None:
    """Index one past the predicate starting at word *i* (its auxiliaries included), or ``None``
    when word *i* does not start a predicate or the predicate stops on a stem (少なくし, 付かなかっ)."""
    w = ws[i]
    j = i + 1
    if w.kind == _N and w.sahen and not w.formal:
        if not (j < len(ws) and ws[j].kind == _V and ws[j].lemma in _SURU):
            return j if particle == "を" else None  # 食器を用意
        j += 1
    elif w.kind not in (_V, _A, _S):
        return None
    while j < len(ws) and ws[j].kind == _X:
        j += 1
    j = _through_negation(ws, j)
    last = ws[j - 1]
    more = j < len(ws) and ws[j].kind != _O  # words follow: a continuative here leaves the clause open
    if last.kind in (_V, _X) and last.form.startswith("連用形") and last.surface != "ず" and (
        last.surface not in ("に", "で") or (last.surface == "で" and more)
    ):
        # 食器を用意(して): the noun alone; 管理方法がバラバラで(困る): no name
        return i + 1 if w.kind == _N and particle == "を" else None
    if last.kind == _S and j < len(ws) and ws[j].surface == "な":
        return None
    return j


#: Lemmas of the negations a predicate keeps (悪く＋ない, 通ら＋ない, 足り＋ず, でき＋ません).
_NEGATIONS = frozenset({"無い", "ない", "ず", "ぬ", "ん", "ます"})
#: Light verbs between a continuative and its negation (うまく＋いか＋ず, 高く＋なら＋ない).
_LIGHT = frozenset({"行く", "成る", "為る", "出来る", "居る", "有る", "来る"})


def _through_negation(ws: list[Word], j: int) -> int:
    """Index one past a negation that follows the predicate ending before word *j*: a name must
    not end before the ない, ず or ません that reverses it (反応は悪く|ない, 引き継ぎがうまく|いかず)."""
    if j >= len(ws) or not ws[j - 1].form.startswith(("連用形", "未然形")):
        return j
    k = j + 1 if ws[j].kind == _V and ws[j].lemma in _LIGHT and j + 1 < len(ws) else j
    if ws[k].kind in (_A, _X) and (ws[k].lemma in _NEGATIONS or ws[k].surface in ("ない", "なく", "ず", "ぬ")):
        k += 1
        while k < len(ws) and ws[k].kind == _X:  # ません, なかった
            k += 1
        return k
    return j


def _glued(ws: list[Word], i: int) -> bool:
    """Word *i* runs on from a word-like morpheme a reader would not cut off (予|実: a span
    starting at 実 would cut the word 予実)."""
    if i <= 0 or ws[i - 1].end != ws[i].start or ws[i - 1].kind != _O:
        return False
    ch = ws[i - 1].surface[-1:]
    return ch.isalnum()


def personal(text: str, records: Sequence[str]) -> list[tuple[int, int]]:
    """Spans of *text* that are personal data (:func:`voc.clean.pii_spans`: placeholders, phone
    numbers, numbers of 10+ digits, addresses, person names …), the names read from *records*."""
    from voc._names import _HONORIFIC_RE
    from voc.clean import pii_spans

    if not any(_PROPER in r or r.endswith(RECORD_SEP) for r in records) and not _HONORIFIC_RE.search(text):
        return pii_spans(text, [])  # no morpheme can be part of a name (most texts)
    return pii_spans(text, [_name_fields(r) for r in records])


_PROPER = f"{RECORD_SEP}固有名詞{RECORD_SEP}"


@lru_cache(maxsize=1 << 17)
def _name_fields(record: str) -> tuple[str, str, str, str]:
    """``(surface, pos2, pos3, lemma)`` of a record, what the name rules read."""
    f = record.split(RECORD_SEP)
    return f[0], f[2], f[3], f[5] if len(f) > 5 else ""


def candidates(text: str, records: Sequence[str], max_chars: int = 16) -> dict[str, str]:
    """Candidate phrases of one text (spans of *text*, at most *max_chars* long), each with its
    key: the dictionary forms of its words (the same for 子ども and 子供, 高い and 高かった).

    No candidate is or holds personal data (:func:`personal`), masked or not: a group of notes
    that share an address, a phone number or a contact's name is not named by it."""
    ws = words(text, records)
    out: dict[str, str] = {}
    n = len(ws)
    refused = personal(text, records)

    def add(a: int, b: int) -> None:
        if b < n and _glued(ws, b):
            return  # the span would end inside a word
        start, end = ws[a].start, ws[b - 1].end
        span = text[start:end]
        if 2 <= len(span) <= max_chars and not span.isdigit():
            if any(x < end and start < y for x, y in refused):
                return
            out[span] = "".join(w.key for w in ws[a:b] if w.kind in (_N, _V, _A, _S))

    for i, w in enumerate(ws):
        if _glued(ws, i):
            continue
        if w.surface in _JUDGMENTS:
            continue  # NG, 不可: a judgment is named with its topic only
        if w.kind == _N and not w.formal:
            add(i, i + 1)
            if i + 2 < n and ws[i + 1].kind == _P:
                nxt = ws[i + 2]
                if ws[i + 1].surface == "の" and nxt.kind == _N and not nxt.formal:
                    add(i, i + 3)
                elif ws[i + 1].surface in ("は", "が", "も") and nxt.surface in _JUDGMENTS:
                    add(i, i + 3)  # 電子契約はNG
                elif ws[i + 1].surface in _CASE and ws[i + 1].surface != "の":
                    end = _predicate_end(ws, i + 2, ws[i + 1].surface)
                    if end is not None:
                        add(i, end)
        elif w.kind in (_A, _S):
            j = i + 1
            if w.kind == _S:
                if j < n and ws[j].surface == "な":
                    j += 1
                else:
                    continue
            elif not w.form.startswith("連体形"):
                continue
            if j < n and ws[j].kind == _N and not ws[j].formal:
                add(i, j + 1)
    return out
