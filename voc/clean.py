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

from voc._names import _HONORIFIC_RE, _ITAIJI_RE, _name_spans
from voc._tagger import RECORD_SEP

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "normalize_text",
    "is_non_answer",
    "mask_pii",
    "pii_spans",
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
    "address": "［住所］",
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

_PREFS = (
    "青森 岩手 宮城 秋田 山形 福島 茨城 栃木 群馬 埼玉 千葉 神奈川 新潟 富山 石川 福井 山梨 長野 岐阜 静岡 愛知 三重 "
    "滋賀 兵庫 奈良 和歌山 鳥取 島根 岡山 広島 山口 徳島 香川 愛媛 高知 福岡 佐賀 長崎 熊本 大分 宮崎 鹿児島 沖縄"
).split()
_PREF = "(?:北海道|東京都|(?:京都|大阪)府|(?:" + "|".join(_PREFS) + ")県)"
_MUNI = "(?:[一-龥々ヶケ]{1,4}?[市区郡町村])"  # 札幌市, 中央区, 港区, 西多摩郡, 瑞穂町
_TOWN = "(?:[一-龥々ヶケァ-ヴーのが]{0,8}?)"  # 芝浦, 丸の内, 道玄坂
_TOWN_AFTER = "(?:[一-龥々ヶケァ-ヴーぁ-ん]{0,8}?)"  # after a city, hiragana too: みなとみらい
_NUM = "(?:[0-9]{1,4}|[一二三四五六七八九十]{1,3})"
_D = f"[{_DASH}]"
_LOT = f"(?:{_NUM}(?:番地?|{_D})(?:{_NUM}号?)?)"  # 2番3号, 2-3
#: Street parts that only addresses have: 丁目, 番地, 番…号, 条 (北1条西2丁目).
_STREET = (
    f"(?:(?:[東西南北]?{_NUM}条)?[東西南北]?{_NUM}丁目{_LOT}?|[東西南北]{_NUM}条{_LOT}?"
    f"|{_NUM}番地(?:{_D}?{_NUM}号?)?|{_NUM}番{_NUM}号)"
)
#: A building with a floor or room (ABCビル12F, 〇〇タワー 5階, △△ハイツ203号室).
_BUILDING = (
    "(?:[A-Za-z0-9ァ-ヴー一-龥々]{1,15}?(?:ビル(?:ディング)?|タワー|マンション|ハイツ|コーポ|レジデンス|ヒルズ|プラザ)"
    r"[A-Za-z0-9]?\s?(?:[0-9]{1,3}(?:F|階)(?![A-Za-z])|[0-9]{1,4}号室)"
    r"|(?:ハイツ|コーポ|メゾン|パレス)[一-龥々ァ-ヴー]{1,8}\s?[0-9]{1,4}号?室?)"
)
_BUILDING_AFTER = rf"(?:\s?{_BUILDING}|\s?[0-9]{{1,4}}号室)?"
_CITY = f"(?:{_PREF}{_MUNI}{{0,3}}|{_MUNI}{{1,3}})"
_COUNTER = "[割社年名人件倍か月日時分%億万円個台回歳代店]"  # 2-3割, 1-2年: a range, not a lot number
#: An address down to the street (a prefecture or city alone, 東京都千代田区, is not masked), or a
#: building with its floor: see SECURITY.md.
_ADDRESS = re.compile(
    f"(?:{_PREF}?{_MUNI}{{1,3}}{_TOWN_AFTER}|{_PREF}?{_TOWN}){_STREET}{_BUILDING_AFTER}"
    # 1-2-3 after a city (hiragana town names too: みなとみらい), or 1-2 after a city and a kanji town
    f"|{_CITY}{_TOWN_AFTER}[0-9]{{1,4}}{_D}[0-9]{{1,4}}{_D}[0-9]{{1,4}}(?![0-9]){_BUILDING_AFTER}"
    f"|{_CITY}{_TOWN}[0-9]{{1,4}}{_D}[0-9]{{1,4}}(?![0-9{_DASH}]|{_COUNTER}){_BUILDING_AFTER}"
    f"|{_BUILDING}"
)
#: Cheap test before :data:`_ADDRESS`: something only an address or a floor has.
_ADDRESS_HINT = re.compile(f"丁目|番地|[0-9]番|条|[0-9]{_D}[0-9]|[0-9](?:F|階|号室)")


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


def _words_of_records(records: list[str], line: str = "") -> list[tuple[str, ...]] | None:
    """``(surface, pos2, pos3, lemma)`` per record for :func:`_name_spans`, or ``None`` when no
    record can be part of a name and *line* has no 様, さん or title (most lines: then no span is
    possible and nothing is split)."""
    if not any(_PROPER in r or r.endswith(RECORD_SEP) for r in records) and not _HONORIFIC_RE.search(line):
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

    # each distinct text once (statements and short lost reasons repeat: 価格が高い, 検討中): the
    # steps below read nothing but the text and whether it was cut, so a repeat gets the same results
    seen: dict[tuple[str, bool], int] = {}
    codes = [seen.setdefault((t, long), len(seen)) for t, long in zip(texts, longs, strict=True)]
    if len(seen) < len(texts):
        out1, cuts1, tokens1 = _names_and_tokens([t for t, _ in seen], [long for _, long in seen], names=names,
                                                 max_text_chars=max_text_chars, tokenizer=tokenizer)
        return ([out1[c] for c in codes], [cuts1[c] for c in codes],
                None if tokens1 is None else [tokens1[c] for c in codes])
    out: list[str] = []
    cuts: list[bool] = []
    tokens: list[list[str] | None] = []
    for start in range(0, len(texts), BATCH):
        batch = texts[start : start + BATCH]
        shared = [tokenizer is not None and "\n" not in t and (not names or not _ITAIJI_RE.search(t)) for t in batch]
        parsed = iter(
            tokenizer.records_many([t for t, s in zip(batch, shared, strict=True) if s]) if any(shared) else ()
        )
        for text, share, long in zip(batch, shared, longs[start : start + BATCH], strict=True):
            records = next(parsed) if share else None
            final = text
            if names:
                if records is not None:
                    words = _words_of_records(records, text)
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


_PLACEHOLDER = re.compile("[［\\[](?:" + "|".join(re.escape(p[1:-1]) for p in PII_PLACEHOLDERS.values()) + ")[］\\]]")
#: A number of 10 or more digits, hyphens and spaces allowed between them (an account or card
#: number, a phone number written without its 0).
_LONG_NUMBER = re.compile(f"[0-9](?:[{_DASH} ]?[0-9]){{9,}}")

#: Placeholders, URLs, e-mail addresses, postal codes and long numbers in one pass.
_PATTERNS = re.compile(
    "|".join(f"(?:{p.pattern})" for p in (_PLACEHOLDER, _EMAIL, _POSTAL_MARKED, _POSTAL_BARE, _LONG_NUMBER))
    + f"|(?i:{_URL.pattern})"
)


def pii_spans(text: str, words: list[tuple[str, ...]] | None = None) -> list[tuple[int, int]]:
    """Character spans of *text* that are or hold personal data, whether or not it was masked:
    placeholders (``［氏名］``, NFKC ``[氏名]``), URLs, e-mail addresses, postal codes, phone
    numbers, numbers of 10+ digits, addresses and person names.

    :mod:`voc.naming` refuses a phrase that overlaps one, so that no theme name is personal data
    even with ``mask_pii = false``. *words*: the text's morphemes as ``(surface, pos2, pos3,
    lemma)`` when the caller has parsed it (see :func:`voc._names._name_spans`).
    """
    spans = [m.span() for m in _PATTERNS.finditer(text)]
    spans += [m.span() for m in _PHONE.finditer(text) if _phone(m) != m.group()]
    if _ADDRESS_HINT.search(text):
        spans += [m.span() for m in _ADDRESS.finditer(text)]
    if words is not None and not _ITAIJI_RE.search(text):
        # one parse for all lines (MeCab reads a line break as a space): a name may be found
        # across lines, which only refuses more
        return sorted(spans + _name_spans(text, words))
    offset = 0
    for line in text.split("\n"):
        spans += [(offset + a, offset + b) for a, b in _name_spans(line)]
        offset += len(line) + 1
    return sorted(spans)


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
    if "address" in kinds and _ADDRESS_HINT.search(text):
        text = _ADDRESS.sub(PII_PLACEHOLDERS["address"], text)
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
