"""Theme labels and representative quotes."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["label_from_keywords", "distinct_keywords", "representative_quotes"]


def _generic(word: str) -> bool:
    """Words that say nothing in a label: stopwords (事, 為る, 様 …) and single kana or symbols."""
    from voc.tokenize import load_wordlist

    if len(word) == 1 and not ("\u4e00" <= word <= "\u9fff"):
        return True
    return word in load_wordlist("stopwords_ja") or word in load_wordlist("stopwords_sales")


def distinct_keywords(keywords: Sequence[str], n: int | None = None) -> list[str]:
    """Keywords with generic words dropped and those contained in a better-ranked one removed
    (導入費用 hides 費用)."""
    kept: list[str] = []
    for word in keywords:
        if _generic(word) or any(word in k or k in word for k in kept):
            continue
        kept.append(word)
        if n is not None and len(kept) == n:
            break
    return kept


def label_from_keywords(keywords: Sequence[str], n: int = 3) -> str:
    """A readable label: the first *n* distinct keywords joined with ``・``."""
    words = distinct_keywords(keywords, n)
    return "・".join(words) if words else "(キーワードなし)"


def _shingles(text: str) -> set[str]:
    t = text.replace(" ", "")
    return {t[i : i + 2] for i in range(max(1, len(t) - 1))}


def representative_quotes(
    texts: Sequence[str],
    embeddings: np.ndarray,
    n: int = 3,
    *,
    max_similarity: float = 0.6,
    max_chars: int = 200,
) -> list[int]:
    """Indices of up to *n* texts near the centre of a theme that are not near-duplicates.

    Texts are ranked by cosine similarity to the theme's mean embedding; a text whose character
    bigrams overlap an already chosen one by more than *max_similarity* (Jaccard) is skipped, and
    so are texts longer than *max_chars* when shorter ones are available.
    """
    if len(texts) == 0:
        return []
    centre = embeddings.mean(axis=0)
    norm = np.linalg.norm(centre)
    scores = embeddings @ (centre / norm) if norm > 0 else np.zeros(len(texts))
    order = np.argsort(-scores, kind="stable")
    chosen: list[int] = []
    chosen_shingles: list[set[str]] = []
    for pass_max in (max_chars, None):
        for i in order:
            if len(chosen) == n:
                return chosen
            if i in chosen or (pass_max is not None and len(texts[i]) > pass_max):
                continue
            sh = _shingles(texts[i])
            if any(len(sh & c) / max(1, len(sh | c)) > max_similarity for c in chosen_shingles):
                continue
            chosen.append(int(i))
            chosen_shingles.append(sh)
    return chosen
