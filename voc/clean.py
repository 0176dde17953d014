"""Clean texts: Unicode normalization, whitespace, non-answers, PII masking and length limits.

Cleaning happens before anything is tokenized, embedded, stored or shown, so that a masked
e-mail address never reaches a model, the run history or a report.

PII masking (on by default) replaces, in this order, URLs, e-mail addresses, postal codes, phone
numbers and person names with the placeholders in :data:`PII_PLACEHOLDERS`. The pattern kinds are
regular expressions on NFKC-normalized text (full-width digits and ``＠`` are ASCII by then); names
come from UniDic's 人名 (person name) tags, read with fugashi, plus honorific contexts (様, さん,
部長 …). ``SECURITY.md`` says what is and is not masked.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from voc._tagger import RECORD_SEP

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "normalize_text",
    "is_non_answer",
    "mask_pii",
    "clean",
    "PII_PLACEHOLDERS",
    "PII_KINDS",
    "DEFAULT_MAX_TEXT_CHARS",
]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ufeff]")
_SPACE = re.compile(r"\s+")
_PUNCT_ONLY = re.compile(r"[\s\W_ー－―‐]+")

#: Default ``[clean] max_text_chars``: longer texts are cut to this length and counted as truncated.
DEFAULT_MAX_TEXT_CHARS = 2000

#: Placeholder that replaces each kind of personal data.
PII_PLACEHOLDERS: dict[str, str] = {
    "url": "［URL］",
    "email": "［メール］",
    "postal": "［郵便番号］",
    "phone": "［電話］",
    "name": "［氏名］",
}
#: Every kind :func:`mask_pii` knows, in the order it masks them.
PII_KINDS: tuple[str, ...] = tuple(PII_PLACEHOLDERS)

_DASH = "\\-‐‑‒–—−ー"  # for use inside [...]: the ASCII hyphen escaped
_SEP = f"[{_DASH} ]?"
_URL = re.compile(r"(?:(?:https?|ftp)://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]*[A-Za-z0-9/#=_\-~%]", re.IGNORECASE)
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
_POSTAL_MARKED = re.compile(rf"(?:〒|郵便番号\s?:?)\s?\d{{3}}[{_DASH}]?\d{{4}}(?![0-9])")
_POSTAL_BARE = re.compile(rf"(?<![0-9+{_DASH}])\d{{3}}-\d{{4}}(?![0-9{_DASH}])")
_PHONE = re.compile(
    rf"(?<![0-9+{_DASH}])(?:\+81{_SEP}(?:\(0\))?{_SEP}|\(0|0)\d{{1,4}}\)?{_SEP}\(?\d{{1,4}}\)?{_SEP}\d{{3,4}}(?![0-9])"
)

#: Words that, right after a token, mark it as a person's name (佐藤部長, ヤマダ課長). Company names get
#: 様 and さん too (トヨタ様, トヨタさん), so those mark only tokens UniDic already calls a person or place.
_TITLES = frozenset(
    "氏 君 くん ちゃん 殿 先生 部長 課長 係長 社長 会長 専務 常務 次長 室長 所長 店長 主任 取締役 支店長 本部長 "
    "副社長 部長様 課長様 社長様 課長代理 部長代理 マネージャー マネジャー".split()
)
_HONORIFICS = frozenset("様 さま さん".split()) | _TITLES
#: A surname right before one of these is a company (小林製薬, 鈴木自動車, 山田電機).
_COMPANY_WORDS = frozenset(
    "製薬 通商 自動車 電機 電器 電気 工業 商事 商店 物産 産業 建設 工務店 製作所 化学 銀行 証券 生命 保険 "
    "不動産 運輸 急便 食品 製菓 薬品 興業 鉄工 精機 重工 技研 ホールディングス グループ 株式会社 社".split()
)
#: 人名-tagged UniDic entries that are mostly ordinary words in sales notes.
_NAME_STOP = frozenset("リード ガント コール 金 忍 槙 森 林 東 南 北 西 光 進 誠 実 望 希 明 勝 正".split())
#: Variant kanji that unidic-lite does not know, mapped one-to-one for tagging only.
_ITAIJI = str.maketrans("髙﨑德濵邊邉齋齊櫻", "高崎徳濱辺辺斎斉桜")
_KATAKANA = re.compile(r"^[ァ-ヴー・]+$")
_LATIN = re.compile(r"^[A-Za-z0-9]+$")


def normalize_text(text: str) -> str:
    """NFKC-normalize, drop control and bidi-override characters, collapse spaces.

    NFKC turns half-width katakana and full-width Latin letters and digits into their usual forms
    (ｶｽﾀﾏｲｽﾞ → カスタマイズ, ＡＰＩ → API, ０９０ → 090), which is what UniDic's entries use.
    Runs of white space, line breaks included, become one space.
    """
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL.sub(" ", text)
    return _SPACE.sub(" ", text).strip()


@lru_cache(maxsize=1)
def _non_answers() -> frozenset[str]:
    body = resources.files("voc.data").joinpath("non_answers.txt").read_text(encoding="utf-8")
    words = (line.split("#", 1)[0].strip() for line in body.splitlines())
    return frozenset(_PUNCT_ONLY.sub("", normalize_text(w)).lower() for w in words if w)


def is_non_answer(text: str) -> bool:
    """True for an empty text, punctuation only, or a known non-answer (特になし, なし, 不明, N/A …).

    The list is ``voc/data/non_answers.txt``; one entry per line, compared after normalization with
    punctuation removed, so ``特になし。`` and ``・特に無し`` match ``特になし`` / ``特に無し``.
    """
    core = _PUNCT_ONLY.sub("", normalize_text(text)).lower()
    return not core or core in _non_answers()


def _phone(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group())
    if match.group().startswith("+81"):
        digits = "0" + digits[2:].removeprefix("0")
    return PII_PLACEHOLDERS["phone"] if 10 <= len(digits) <= 11 else match.group()


@lru_cache(maxsize=1)
def _tagger() -> Any:
    """What name detection reads of a line: ``(surface, pos2, pos3, lemma)`` per morpheme; unknown
    words are the ones with an empty lemma. Parsed by the tokenizer's MeCab tagger (the same
    arguments: :func:`voc._tagger.shared_tagger` keeps one per process, and each tagger maps the
    whole dictionary, so a tagger of its own would cost this process ~100 MB more)."""
    from voc._tagger import FastTagger
    from voc.tokenize import TOKEN_FEATURES

    fast = FastTagger(TOKEN_FEATURES, joined=True)

    def words(line: str) -> list[tuple[str, ...]]:
        return [(s, pos2, pos3, lemma) for s, _, pos2, pos3, lemma in (r.split(RECORD_SEP) for r in fast.records(line))]

    return words


def _name_spans(line: str, words: list[tuple[str, ...]] | None = None) -> list[tuple[int, int]]:
    """Character spans of person names in one line (UniDic 人名 tags and honorific contexts).

    *words*: the line's morphemes as ``(surface, pos2, pos3, lemma)``, when the caller has parsed
    it already (the line with :data:`_ITAIJI` applied); by default this parses it.
    """
    tagged = line.translate(_ITAIJI)
    if words is None:
        words = _tagger()(tagged)  # (surface, pos2, pos3, lemma) per morpheme
    n = len(words)
    # Only a proper noun (固有名詞) or an unknown word (no lemma) can be (part of) a name: the
    # rules below look at those alone, which skips most morphemes of a line (clean() of 9,169 call
    # notes in one process: 2.66 s → 2.19 s; MeCab's own pass, 1.3 s, is most of the rest).
    flagged: set[int] = set()
    weak: list[int] = []  # a 人名 tag that alone is not enough
    for i, (s, pos2, pos3, lemma) in enumerate(words):
        proper = pos2 == "固有名詞"
        if not proper and lemma:
            continue
        unknown = not lemma
        follows = words[i + 1][0] if i + 1 < n else ""
        follows2 = follows + (words[i + 2][0] if i + 2 < n else "")
        if follows in _COMPANY_WORDS or follows2 in _COMPANY_WORDS:
            continue
        person = proper and pos3 == "人名"
        if person and len(s) >= 2 and not _KATAKANA.match(s) and not _LATIN.match(s) and s not in _NAME_STOP:
            flagged.add(i)
        elif (follows in _TITLES or follows2 in _TITLES) and (proper or unknown):
            flagged.add(i)
        elif (follows in _HONORIFICS or follows2 in _HONORIFICS) and (person or (proper and pos3 == "地名") or unknown):
            if not _LATIN.match(s) or person:
                flagged.add(i)
        elif person:
            weak.append(i)
    # a weak 人名 token next to a name is part of it (佐々木 健, カトウ 花子); left to right, so a
    # run of weak tokens after a name joins it
    for i in weak:
        if i - 1 in flagged or i + 1 in flagged:
            flagged.add(i)
    if not flagged:
        return []
    out: list[tuple[int, int]] = []
    pos = 0
    for i, w in enumerate(words):
        start = tagged.find(w[0], pos)
        start = pos if start < 0 else start
        pos = start + len(w[0])
        if i not in flagged:
            continue
        if out and line[out[-1][1] : start].strip() == "":
            out[-1] = (out[-1][0], pos)
        else:
            out.append((start, pos))
    return out


def _mask_names(text: str) -> str:
    lines = []
    for line in text.split("\n"):
        lines.append(_replace_spans(line, _name_spans(line)))
    return "\n".join(lines)


def _replace_spans(line: str, spans: list[tuple[int, int]]) -> str:
    placeholder = PII_PLACEHOLDERS["name"]
    for a, b in reversed(spans):
        line = line[:a] + placeholder + line[b:]
    return line


#: A tokenizer record (``surface␟pos1␟pos2␟pos3␟lemma``) that can be part of a name: a proper noun
#: or an unknown word (empty lemma: the record ends with the separator).
_PROPER = f"{RECORD_SEP}固有名詞{RECORD_SEP}"


def _words_of_records(records: list[str]) -> list[tuple[str, ...]] | None:
    """``(surface, pos2, pos3, lemma)`` per record for :func:`_name_spans`, or ``None`` when no
    record can be part of a name (most lines: then no span is possible and nothing is split)."""
    if not any(_PROPER in r or r.endswith(RECORD_SEP) for r in records):
        return None
    out = []
    for r in records:
        surface, _, pos2, pos3, lemma = r.split(RECORD_SEP)
        out.append((surface, pos2, pos3, lemma))
    return out


def _names_and_tokens(
    texts: list[str], longs: list[bool], *, names: bool, max_text_chars: int | None, tokenizer: Any | None
) -> tuple[list[str], list[bool], list[list[str]] | None]:
    """The last cleaning steps of kept *texts* (already masked for every PII kind but names):
    name masking when *names*, then the cut to *max_text_chars* (*longs*: the raw text was cut
    already). With a *tokenizer* (:class:`voc.tokenize.Tokenizer`) also the tokens of the results.

    A single-line text (most notes) is parsed by MeCab once: the name rules read the tokenizer's
    records, and when no name is found and nothing is cut those records give the tokens too. Other
    texts (several lines, a masked name, a cut, old character forms such as 髙) are tokenized from
    their final text, so the tokens equal ``tokenizer.tokenize_many(texts)`` in every case
    (``tests/test_clean.py``). Before, MeCab read every text twice: for names in the clean stage,
    for tokens in the next (docs/performance.md).
    """
    from voc.tokenize import BATCH

    out: list[str] = []
    cuts: list[bool] = []
    tokens: list[list[str] | None] = []
    for start in range(0, len(texts), BATCH):
        batch = texts[start : start + BATCH]
        shared = [
            tokenizer is not None and "\n" not in t and (not names or t.translate(_ITAIJI) == t) for t in batch
        ]
        parsed = iter(tokenizer.records_many([t for t, s in zip(batch, shared, strict=True) if s]) if any(shared) else ())
        for text, share, long in zip(batch, shared, longs[start : start + BATCH], strict=True):
            records = next(parsed) if share else None
            final = text
            if names:
                if records is not None:
                    words = _words_of_records(records)
                    final = text if words is None else _replace_spans(text, _name_spans(text, words))
                else:
                    final = _mask_names(text) if text else text
            cut = long or (max_text_chars is not None and len(final) > max_text_chars)
            if cut:
                final = final[:max_text_chars]
            out.append(final)
            cuts.append(cut)
            if tokenizer is not None:
                tokens.append(tokenizer.tokens_from_records(records) if records is not None and final == text else None)
    if tokenizer is None:
        return out, cuts, None
    todo = [i for i, t in enumerate(tokens) if t is None]
    for i, toks in zip(todo, tokenizer.tokenize_many([out[i] for i in todo]), strict=True):
        tokens[i] = toks
    return out, cuts, tokens  # type: ignore[return-value]


def mask_pii(text: str, kinds: Iterable[str] = PII_KINDS) -> str:
    """Replace personal data in *text* with placeholders (［メール］, ［電話］, ［氏名］ …).

    Parameters
    ----------
    text
        A normalized text (:func:`normalize_text`; full-width digits already ASCII).
    kinds
        Which of :data:`PII_KINDS` to mask (default: all).

    Examples
    --------
    >>> mask_pii("田中様（tanaka@example.co.jp、090-1234-5678）")  # doctest: +SKIP
    '［氏名］様（［メール］、［電話］）'
    """
    kinds = set(kinds)
    unknown = kinds - set(PII_KINDS)
    if unknown:
        from voc.errors import ConfigError

        raise ConfigError(f"unknown PII kind(s) {sorted(unknown)}; valid kinds are {', '.join(PII_KINDS)}")
    if "url" in kinds:
        text = _URL.sub(PII_PLACEHOLDERS["url"], text)
    if "email" in kinds:
        text = _EMAIL.sub(PII_PLACEHOLDERS["email"], text)
    if "postal" in kinds:
        text = _POSTAL_MARKED.sub(PII_PLACEHOLDERS["postal"], text)
    if "phone" in kinds:
        text = _PHONE.sub(_phone, text)
    if "postal" in kinds:
        text = _POSTAL_BARE.sub(PII_PLACEHOLDERS["postal"], text)
    if "name" in kinds and text:
        text = _mask_names(text)
    return text


def _kinds(mask: bool | str | Sequence[str]) -> tuple[str, ...]:
    if mask is True:
        return PII_KINDS
    if not mask:
        return ()
    kinds = (mask,) if isinstance(mask, str) else tuple(mask)
    mask_pii("", kinds)  # a ConfigError naming the valid kinds, before any row is read
    return kinds


def clean(
    frame: pd.DataFrame,
    text_columns: Sequence[str],
    *,
    mask: bool | Sequence[str] = True,
    max_text_chars: int | None = DEFAULT_MAX_TEXT_CHARS,
    tokenizer: Any | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Build the ``text`` column and reject rows with nothing to analyse.

    Needs ``row`` and the *text_columns* (strings). Each is normalized; non-answers are dropped part
    by part, so a call note with 失注理由 「特になし」 keeps the call note. Adds ``text`` (the
    remaining parts joined by a newline, PII-masked, cut to *max_text_chars*) and ``truncated``
    (bool: the text was longer than *max_text_chars*).

    Parameters
    ----------
    mask
        ``True`` (default): mask every kind in :data:`PII_KINDS`; ``False``: none; or a list of kinds.
    max_text_chars
        Texts longer than this are cut (after masking) so one pasted 1 MB cell cannot dominate
        memory or the embedding; ``None`` keeps them whole.
    tokenizer
        A :class:`voc.tokenize.Tokenizer`: also add ``tokens`` (its tokens of ``text``), reusing
        the parse that name masking needs (see :func:`_names_and_tokens`).

    Returns
    -------
    kept, rejected
        *kept* is *frame* minus the rejected rows, with ``text`` and ``truncated`` added. *rejected*
        has ``row``, ``reason`` (``empty_text`` or ``non_answer``) and ``detail`` (PII-masked too).
    """
    import pandas as pd

    kinds = _kinds(mask)
    early = tuple(k for k in kinds if k != "name")  # names come last (mask_pii's order), below
    texts: list[str] = []
    longs: list[bool] = []
    keep: list[bool] = []
    rejected: list[tuple[int, str, str]] = []
    columns = [frame[c].tolist() for c in text_columns]
    cap = None if max_text_chars is None else max_text_chars * 4  # bounds the work on 1 MB cells
    for row, *parts in zip(frame["row"].tolist(), *columns, strict=True):
        raw = [p if isinstance(p, str) else "" for p in parts]
        long = cap is not None and any(len(p) > cap for p in raw)
        normalized = [normalize_text(p[:cap] if cap is not None else p) for p in raw]
        present = [p for p in normalized if p]
        answers = [p for p in present if not is_non_answer(p)]
        if answers:
            text = "\n".join(answers)
            texts.append(mask_pii(text, early) if early else text)
            longs.append(long)
            keep.append(True)
            continue
        keep.append(False)
        if present:
            detail = " / ".join(present)[:80]
            rejected.append((row, "non_answer", mask_pii(detail, kinds) if kinds else detail))
        else:
            rejected.append((row, "empty_text", ", ".join(text_columns) + " empty"))
    texts, truncated, tokens = _names_and_tokens(
        texts, longs, names="name" in kinds, max_text_chars=max_text_chars, tokenizer=tokenizer
    )
    mask_keep = pd.Series(keep, index=frame.index, dtype=bool)
    kept = frame.loc[mask_keep].copy()
    kept["text"] = texts
    kept["truncated"] = pd.Series(truncated, index=kept.index, dtype=bool)
    if tokens is not None:
        kept["tokens"] = pd.Series(tokens, index=kept.index, dtype=object)
    return kept.reset_index(drop=True), pd.DataFrame(rejected, columns=["row", "reason", "detail"])
