"""Split a note into statements, with offsets into the text exactly as the export holds it.

The rules (docs/statements.md says why each one is there and what it was measured against):

1. **Line breaks** always end a statement.
2. **Sentence ends** 。｡！？!? (and a run of them) end a statement; ``.`` / ``．`` only after a Japanese
   character and before white space, a Japanese character or the end (``v2.0``, ``e.g.`` stay whole).
3. **Bullets** at the start of a line (・ ■ ● ◆ ◇ □ ○ ▪ • ※ - ＊ * ① ⑴ ``1.`` ``1)`` ``(1)``) start a
   statement and are left out of it; ・ ■ ● ◆ ※ after white space inside a line do the same.
4. **Headers** 【…】 start a statement (one at the end of a line tags the statement before it). A header holding a digit (``【11/5 MTG】``, a dated log line)
   is a statement of its own; a label header (``【懸念】``, ``【失注理由】``) starts the statement that
   follows it on the same line.
5. **Slashes** ／ and / end a statement between two runs of at least 3 characters, unless both
   characters beside it are ASCII letters or digits (``Slack/Teams``, ``kintone/Salesforce``).
6. **Spaces** (ASCII or ideographic) between memo fragments end a statement, except: between two
   Latin words (``Microsoft Teams``, ``Android 4.0``; so ``初回MTG Salesforce…`` stays whole), after a
   Latin word that starts a phrase (``懸念：Nova CRM``), after 、：→ or before a bracket or punctuation, when the fragment
   before is only a date (``11/5 初回訪問``) or has no Japanese letter (``kintone 連携``), or the fragment
   after has none (an e-mail, URL or ``(Zoom)``), or a value (phone number, 〒 code) is beside it.
7. Nothing is cut inside brackets of one line (（）「」『』［］〔〕 and their ASCII forms, so placeholders
   such as ［氏名］ stay whole), URLs, e-mail addresses, dates (2024/11/14, 11／14) or numbers.
8. A piece with no letter or digit (``→``, ``…``) joins the statement before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

__all__ = ["Statement", "split_statements"]

_OPEN = "（(「『［[〔【"
_CLOSE = "）)」』］]〕】"
_PAIRS = dict(zip(_OPEN, _CLOSE, strict=True))
_SENTENCE_END = "。｡！？!?"
_DOTS = ".．"
_SPACE = " \t\u3000\u00a0"
_BULLET_CHARS = "・･■●◆◇□○▪•※＊*-－‐"
_MIDLINE_BULLETS = "・■●◆※"
_BRACKET = re.compile(f"[{re.escape(_OPEN + _CLOSE)}]")
#: The characters where :func:`_line_cuts` may cut.
_CUT_CHAR = re.compile(f"[{re.escape(_SENTENCE_END + _DOTS + '【' + _MIDLINE_BULLETS + '／/' + _SPACE)}]")
_NUMBERED = re.compile(r"(?:[①-⑳⑴-⒇]|[(（]?[0-9０-９]{1,2}[.．)）](?![0-9０-９]))[ \u3000]*")
_BULLET_RUN = re.compile(rf"[{re.escape(_BULLET_CHARS)}]+[ \u3000]*")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f々〆ヶ]")
_WORD = re.compile(r"[^\W_]")
_DATE_ONLY = re.compile(
    r"^[■●◆・【\[(（]*[0-9０-９]{1,4}(?:[/／.\-－][0-9０-９]{1,2}){1,2}[)）】\]]*$"
    r"|^[■●◆・【\[(（]*(?:[0-9０-９]{1,4}年)?[0-9０-９]{1,2}月[0-9０-９]{1,2}日?[)）】\]]*$"
)
#: A phone number, postal code or other value: it belongs to the label before it (代表番号 03-…,
#: 〒100-0001 担当…).
_VALUE = r"[〒+]?[0-9０-９][0-9０-９\-－()（）]{4,}"
_VALUE_END = re.compile(_VALUE + "$")
_VALUE_START = re.compile(_VALUE)
#: A Latin word that starts a phrase (after a space, ：, a bracket or the line start), not one
#: glued to Japanese (初回MTG).
_LATIN_WORD_END = re.compile(
    r"(?:^|[\s\u3000：:、，,（(「『【\[［/／・=＝>＞])[A-Za-z0-9Ａ-Ｚａ-ｚ０-９][A-Za-z0-9Ａ-Ｚａ-ｚ０-９.\-]*$"
)
_PLACEHOLDER = re.compile(r"［[^］]{1,8}］")
_PROTECT = re.compile(
    r"https?://[^\s　]+|www\.[^\s　]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|[0-9０-９]{1,4}(?:[/／.][0-9０-９]{1,4}){1,2}"  # dates and decimals: 2024/11/14, 11／14, 3.5
    r"|[0-9０-９][0-9０-９,，]*[0-9０-９]"
)


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement of a text: ``text[start:end]`` of the text as the export holds it.

    Attributes
    ----------
    start, end : int
        Character offsets into the raw text (before normalising or masking).
    text : str
        The statement, ``raw[start:end]``: no white space or bullet at either end.
    """

    start: int
    end: int
    text: str


def _is_latin_word(ch: str) -> bool:
    return ch.isalnum() and _is_latin(ch)


def _is_latin(text: str) -> bool:
    """Only ASCII or full-width ASCII characters (ＡＢＣ, ０９０-…)."""
    return all(c.isascii() or "\uff01" <= c <= "\uff5e" for c in text)


def _protected(text: str) -> list[bool]:
    """True at each position where no statement may end: inside brackets of one line, URLs,
    e-mail addresses, dates and numbers."""
    inside = [False] * (len(text) + 1)
    for m in _PROTECT.finditer(text):
        for i in range(m.start() + 1, m.end()):
            inside[i] = True
    for line in re.finditer(r"[^\n\r]+", text):
        stack: list[tuple[str, int]] = []
        for b in _BRACKET.finditer(text, line.start(), line.end()):  # other characters change nothing
            i, ch = b.start(), b.group()
            if ch in _PAIRS:
                stack.append((_PAIRS[ch], i))
            elif ch in _CLOSE:
                while stack and stack[-1][0] != ch:
                    stack.pop()  # an opener never closed on this line protects nothing
                if stack:
                    _, start = stack.pop()
                    for j in range(start + 1, i + 1):
                        inside[j] = True
    return inside


def _line_cuts(text: str, lo: int, hi: int, inside: list[bool]) -> set[int]:
    """Cut positions in one line ``text[lo:hi]`` (a cut at i means a statement starts at i)."""
    cuts: set[int] = set()
    i = lo
    while i < hi:
        m = _CUT_CHAR.search(text, i, hi)  # any other character only moves on by one
        if m is None:
            break
        i = m.start()
        ch = text[i]
        if inside[i] and ch != "【":
            i += 1
            continue
        if ch in _SENTENCE_END or (ch in _DOTS and _dot_ends(text, i, hi)):
            j = i + 1
            while j < hi and text[j] in _SENTENCE_END + _DOTS:
                j += 1
            cuts.add(j)
            i = j
            continue
        if ch == "【" and not inside[i]:
            close = text.find("】", i, hi)
            if close < 0 or i == lo or text[close + 1 : hi].strip(_SPACE):
                cuts.add(i)  # a header at the end of a line is a tag of the statement before it
            if close > 0 and re.search(r"[0-9０-９]", text[i:close]):
                cuts.add(close + 1)
        elif ch in _MIDLINE_BULLETS and i > lo and text[i - 1] in _SPACE:
            cuts.add(i)
        elif ch in "／/" and _slash_cuts(text, i, lo, hi, cuts):
            cuts.update((i, i + 1))
        elif ch in _SPACE:
            j = i
            while j < hi and text[j] in _SPACE:
                j += 1
            if j < hi and _space_cuts(text, i, j, lo, hi, cuts):
                cuts.add(j)
            i = j
            continue
        i += 1
    return cuts


def _dot_ends(text: str, i: int, hi: int) -> bool:
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < hi else ""
    return (
        bool(before)
        and bool(_JAPANESE.match(before))
        and (not after or after in _SPACE or bool(_JAPANESE.match(after)))
    )


def _run_start(cuts: set[int], lo: int, i: int) -> int:
    return max([c for c in cuts if c <= i] + [lo])


def _slash_cuts(text: str, i: int, lo: int, hi: int, cuts: set[int]) -> bool:
    left = text[_run_start(cuts, lo, i) : i].strip(_SPACE)
    nxt = re.search(r"[／/\n]", text[i + 1 : hi])
    right = text[i + 1 : i + 1 + nxt.start() if nxt else hi].strip(_SPACE)
    if len(left) < 3 or len(right) < 3:
        return False
    left_token = re.split(rf"[{_SPACE}]", left)[-1]
    right_token = re.split(rf"[{_SPACE}]", right)[0]
    return not (_is_latin(left_token) and _is_latin(right_token[:1]))  # Slack/Teams, kintone/Salesforce連携


def _space_cuts(text: str, i: int, j: int, lo: int, hi: int, cuts: set[int]) -> bool:
    """Whether the white space ``text[i:j]`` separates two memo fragments."""
    before, after = text[i - 1] if i > lo else "", text[j]
    if not before or (_is_latin_word(before) and _is_latin_word(after)):
        return False  # an English phrase: Nova CRM, Microsoft Teams, Android 4.0
    if _is_latin(after) and _LATIN_WORD_END.search(text[lo:i]):
        return False  # 懸念：Nova CRM…
    if before in "、，,：:→⇒・" + _OPEN or after in "、。，,：:）)」』】］]" + "（(":
        return False
    left = text[_run_start(cuts, lo, i) : i].strip(_SPACE)
    right = _next_fragment(text[j:hi])
    if _DATE_ONLY.match(left) or not _JAPANESE.search(left) or not _JAPANESE.search(right):
        return False
    return not (_VALUE_END.search(left) or _VALUE_START.match(right))


def _next_fragment(rest: str) -> str:
    """The fragment after a space: one token, or an English phrase of several (Nova CRMの…);
    placeholders such as ［電話］ do not count as Japanese."""
    tokens = re.split(rf"[{_SPACE}]+", rest)
    right = tokens[0]
    for token in tokens[1:]:
        if not (_is_latin(right) and token[:1].isalnum() and _is_latin(token[:1])):
            break
        right += " " + token
    return _PLACEHOLDER.sub("", right)


def _trim(text: str, a: int, b: int, line_start: bool) -> tuple[int, int]:
    while a < b and (text[a].isspace() or text[a] in "／/"):
        a += 1
    for _ in range(2):  # "・ ①" : a bullet, then a number
        m = _BULLET_RUN.match(text, a, b) or (_NUMBERED.match(text, a, b) if line_start else None)
        if m and m.end() < b and not text[a:b].startswith(("--", "**")):
            a = m.end()
    while b > a and (text[b - 1].isspace() or text[b - 1] in "／/"):
        b -= 1
    return a, b


def split_statements(text: str) -> list[Statement]:
    """Split *text* into statements (see the module docstring for the rules).

    Parameters
    ----------
    text : str
        A raw note as the export holds it (before NFKC, masking or collapsing white space).

    Returns
    -------
    list of Statement
        In text order, non-overlapping; ``text[s.start:s.end] == s.text``. Empty for a text with no
        letter or digit (a caller keeps such a row and reports it as ``no_statement``).
    """
    if not text:
        return []
    inside = _protected(text)
    pieces: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n\r]+", text):
        lo, hi = line.start(), line.end()
        bounds = sorted({lo, hi} | {c for c in _line_cuts(text, lo, hi, inside) if lo < c < hi})
        for k, (a, b) in enumerate(pairwise(bounds)):
            pieces.append(_trim(text, a, b, k == 0 or text[a - 1] in _SPACE))
    out: list[Statement] = []
    for a, b in pieces:
        if a >= b:
            continue
        if not _WORD.search(text[a:b]):
            if out:  # a piece of punctuation joins the statement before it
                prev = out.pop()
                a = prev.start
            else:
                continue
        out.append(Statement(a, b, text[a:b]))
    return out
