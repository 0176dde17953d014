"""Clean texts: Unicode normalization, whitespace, non-answers and PII masking.

Cleaning happens before anything is tokenized, embedded, stored or shown, so that a masked
e-mail address never reaches a model, the run history or a report.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["normalize_text", "is_non_answer", "mask_pii", "clean", "PII_PLACEHOLDERS"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\ufeff]")
_SPACE = re.compile(r"\s+")
_PUNCT_ONLY = re.compile(r"[\s\W_ー－―‐]+")

#: Placeholder that replaces each kind of personal data.
PII_PLACEHOLDERS = {
    "email": "［メール］",
    "url": "［URL］",
    "phone": "［電話］",
    "postal": "［郵便番号］",
}

_PII_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("email", re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")),
    ("url", re.compile(r"(?:https?://|www\.)[^\s<>\"'、。）)]+")),
    ("postal", re.compile(r"〒\s?\d{3}-?\d{4}|\b\d{3}-\d{4}\b(?!-)")),
    (
        "phone",
        re.compile(
            r"(?<![\d-])(?:\+81[-\s]?\(?0?\)?\d{1,4}|0\d{1,4}|\(0\d{1,4}\))[-\s()]?\d{1,4}[-\s()]?\d{3,4}(?![\d-])"
        ),
    ),
]


def normalize_text(text: str) -> str:
    """NFKC-normalize, drop control characters and collapse whitespace.

    NFKC turns half-width katakana and full-width Latin letters and digits into their usual forms
    (ｶｽﾀﾏｲｽﾞ → カスタマイズ, ＡＰＩ → API, ０９０ → 090), which is what UniDic's entries use.
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


def mask_pii(text: str) -> str:
    """Replace e-mail addresses, URLs, postal codes and phone numbers with placeholders.

    Runs on normalized text (full-width digits are already ASCII).
    """
    for kind, pattern in _PII_PATTERNS:
        text = pattern.sub(PII_PLACEHOLDERS[kind], text)
    return text


def clean(
    frame: pd.DataFrame, text_columns: Sequence[str], *, mask: bool = True
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Build the ``text`` column and reject rows with nothing to analyse.

    Needs the *text_columns* (strings). Each is normalized; non-answers are dropped part by part, so
    a call note with 失注理由 「特になし」 keeps the call note. Adds ``text`` (the remaining parts joined by
    a newline, PII-masked when *mask*).

    Returns
    -------
    kept, rejected
        *kept* is *frame* minus the rejected rows, with ``text`` added. *rejected* has ``row``,
        ``reason`` (``empty_text`` or ``non_answer``) and ``detail``.
    """
    import pandas as pd

    texts: list[str] = []
    keep: list[bool] = []
    rejected: list[tuple[int, str, str]] = []
    columns = [frame[c].tolist() for c in text_columns]
    for row, *parts in zip(frame["row"].tolist(), *columns):
        normalized = [normalize_text(p) for p in parts]
        present = [p for p in normalized if p]
        answers = [p for p in present if not is_non_answer(p)]
        if answers:
            text = "\n".join(answers)
            texts.append(mask_pii(text) if mask else text)
            keep.append(True)
            continue
        keep.append(False)
        if present:
            rejected.append((row, "non_answer", " / ".join(present)[:80]))
        else:
            rejected.append((row, "empty_text", ", ".join(text_columns) + " empty"))
    mask_keep = pd.Series(keep, index=frame.index, dtype=bool)
    kept = frame.loc[mask_keep].copy()
    kept["text"] = texts
    return kept.reset_index(drop=True), pd.DataFrame(rejected, columns=["row", "reason", "detail"])
