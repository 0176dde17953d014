"""Class-based TF-IDF (c-TF-IDF, Grootendorst 2022): the one formula behind voc's own keywords.

BERTopic computes the themes' keywords in :class:`voc.themes.ThemeModel`; voc computes keywords of
groups it forms itself (sub-themes, themes the editor merged or split) here, with either of the two
weightings it used before: the same numbers as before, from one function.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

__all__ = ["ctfidf", "ctfidf_keywords"]


def ctfidf(
    tokens: Sequence[Sequence[str]],
    labels: Sequence[int],
    *,
    reduce_frequent_words: bool = True,
    exclude: frozenset[str] = frozenset(),
) -> dict[int, dict[str, float]]:
    """The c-TF-IDF weight of every word of every group.

    The weight of word *w* in group *c* is ``tf(w, c) · log(1 + A / f(w))``: *tf* the word's count
    in the group over the group's words, *A* the mean number of words per group, *f(w)* the word's
    count in all groups. With *reduce_frequent_words* (BERTopic's option of that name, what
    ``ThemeModel`` and the editor use) the tf is square-rooted; without it (the sub-themes'
    keywords, :func:`voc.subthemes.subtheme_keywords`) it is not.

    Parameters
    ----------
    tokens : the documents' tokens
    labels : each document's group; below 0: none (left out)
    reduce_frequent_words : square-root the tf (see above)
    exclude : words left out of every group (a sub-theme's parent's name)

    Returns
    -------
    dict
        ``{group: {word: weight}}`` for every group with a document (a group whose documents hold
        no word maps to ``{}``).
    """
    counts: dict[int, Counter[str]] = {}
    for doc, g in zip(tokens, labels, strict=True):
        if int(g) >= 0:
            counts.setdefault(int(g), Counter()).update(t for t in doc if t not in exclude)
    total: Counter[str] = Counter()
    for c in counts.values():
        total.update(c)
    avg = sum(total.values()) / max(1, len(counts))
    out = {}
    for g, c in counts.items():
        size = sum(c.values()) or 1
        if reduce_frequent_words:
            out[g] = {w: math.sqrt(k / size) * math.log(1 + avg / total[w]) for w, k in c.items()}
        else:
            out[g] = {w: k / size * math.log(1 + avg / total[w]) for w, k in c.items()}
    return out


def ctfidf_keywords(
    tokens: Sequence[Sequence[str]],
    labels: Sequence[int],
    n: int,
    *,
    reduce_frequent_words: bool = True,
    exclude: frozenset[str] = frozenset(),
) -> dict[int, list[str]]:
    """The *n* best words of each group by :func:`ctfidf` (same parameters), best first, ties by
    word; groups sorted by label."""
    scores = ctfidf(tokens, labels, reduce_frequent_words=reduce_frequent_words, exclude=exclude)
    return {g: [w for w, _ in sorted(scores[g].items(), key=lambda kv: (-kv[1], kv[0]))[:n]] for g in sorted(scores)}
