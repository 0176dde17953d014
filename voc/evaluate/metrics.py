"""Topic-quality measures that need no gold labels: NPMI coherence and topic diversity; the
quality of theme names (groundedness, fragments, distinctness); and the two-level score of
(theme, sub-theme) pairs against leaf labels.

Used by :mod:`voc.evaluate` next to the label-based scores (NMI, ARI, V-measure).
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

__all__ = [
    "npmi_coherence",
    "topic_diversity",
    "name_groundedness",
    "fragment_rate",
    "distinct_names",
    "pair_labels",
    "pair_scores",
]


def npmi_coherence(topics: Sequence[Sequence[str]], tokens: Sequence[Sequence[str]]) -> float:
    """Mean NPMI of keyword pairs within each topic, over document co-occurrence in *tokens*.

    NPMI(a, b) = log(p(a, b) / (p(a) p(b))) / −log p(a, b), with p the share of documents holding
    the word(s); a pair that never co-occurs scores −1. Topics with fewer than two keywords that
    occur in *tokens* are skipped. Returns ``nan`` when no topic can be scored.
    """
    words = sorted({w for t in topics for w in t})
    index = {w: i for i, w in enumerate(words)}
    n_docs = len(tokens)
    if not words or n_docs == 0:
        return float("nan")
    import scipy.sparse as sp

    rows, cols = [], []
    for d, doc in enumerate(tokens):
        for j in {index[w] for w in doc if w in index}:
            rows.append(d)
            cols.append(j)
    X = sp.csr_matrix((np.ones(len(rows), dtype=np.float64), (rows, cols)), shape=(n_docs, len(words)))
    df = np.asarray(X.sum(axis=0)).ravel()
    co = (X.T @ X).toarray()
    scores = []
    for topic in topics:
        ids = [index[w] for w in topic if df[index[w]] > 0]
        if len(ids) < 2:
            continue
        vals = []
        for a, b in itertools.combinations(ids, 2):
            p_ab = co[a, b] / n_docs
            if p_ab == 0:
                vals.append(-1.0)
            elif p_ab == 1:
                vals.append(1.0)
            else:
                pmi = np.log(p_ab / ((df[a] / n_docs) * (df[b] / n_docs)))
                vals.append(float(pmi / -np.log(p_ab)))
        scores.append(float(np.mean(vals)))
    return float(np.mean(scores)) if scores else float("nan")


def topic_diversity(topics: Sequence[Sequence[str]]) -> float:
    """Share of distinct words among all topics' keywords (1.0: no keyword is shared)."""
    total = sum(len(t) for t in topics)
    return len({w for t in topics for w in t}) / total if total else float("nan")


def _members(texts: Sequence[str], labels: Sequence[int] | np.ndarray) -> dict[int, list[str]]:
    """NFKC texts of each group (labels below 0 ignored)."""
    out: dict[int, list[str]] = {}
    for t, g in zip(texts, np.asarray(labels, dtype=int).tolist(), strict=True):
        if g >= 0:
            out.setdefault(g, []).append(unicodedata.normalize("NFKC", str(t)))
    return out


def name_groundedness(
    names: Mapping[int, Sequence[str]],
    texts: Sequence[str],
    labels: Sequence[int] | np.ndarray,
    min_share: float = 0.03,
) -> float:
    """Share of names whose every phrase occurs (after NFKC, as a substring) in at least
    *min_share* of its group's texts.

    *names*: ``{group: phrases}`` (a :class:`voc.naming.ThemeName`'s ``phrases``); *labels*: the
    group of each of *texts*. A name without phrases is not grounded. ``nan`` when there are no names.
    """
    groups = _members(texts, labels)
    if not names:
        return float("nan")
    ok = 0
    for g, phrases in names.items():
        docs = groups.get(int(g), [])
        if phrases and docs and all(sum(p in t for t in docs) >= min_share * len(docs) for p in phrases):
            ok += 1
    return ok / len(names)


def fragment_rate(
    names: Mapping[int, Sequence[str]],
    texts: Sequence[str],
    labels: Sequence[int] | np.ndarray,
    *,
    tagger: Any = None,
) -> float:
    """Share of names with a phrase that is a fragment of longer words in its group's texts.

    Operationally: the group's texts are parsed with MeCab (UniDic) and cut into words, a compound
    noun (a run of nouns, prefixes and noun-like suffixes, with a short verb stem that runs into it:
    コロナ禍, 食べ放題) counting as one word, any other morpheme as one (:func:`voc.naming.words`).
    An occurrence of a phrase is *whole* when it starts where a word starts and ends where a word
    ends. A phrase is a fragment when fewer than :data:`voc.naming.WHOLE_SHARE` (a fifth)
    of the group's texts that contain it contain it whole: 禍 (コロナ禍) and 放題 (食べ放題) are
    fragments; アレルギー, whole in 3 of 10 texts of an allergy theme (the others: 卵アレルギー …), is not.
    ``nan`` when there are no names.
    """
    from voc._tagger import FastTagger
    from voc.naming import PARSE_FEATURES, WHOLE_SHARE, word_bounds

    if not names:
        return float("nan")
    tagger = tagger or FastTagger(features=PARSE_FEATURES, joined=True)
    groups = _members(texts, labels)
    bad = 0
    for g, phrases in names.items():
        docs = groups.get(int(g), [])
        for p in phrases:
            holding = [t for t in docs if p in t]
            if not holding:
                continue  # not grounded at all: name_groundedness counts it
            whole = 0
            for t, records in zip(holding, tagger.records_many(holding), strict=True):
                starts, ends = word_bounds(t, records)
                at = t.find(p)
                while at >= 0:
                    if at in starts and at + len(p) in ends:
                        whole += 1
                        break
                    at = t.find(p, at + 1)
            if whole < WHOLE_SHARE * len(holding):
                bad += 1
                break
    return bad / len(names)


def distinct_names(labels: Sequence[str]) -> float:
    """Share of distinct strings among *labels* (1.0: every name is unique); ``nan`` when empty."""
    return len(set(labels)) / len(labels) if len(labels) else float("nan")


def pair_labels(themes: Sequence[int] | np.ndarray, subthemes: Sequence[int] | np.ndarray) -> np.ndarray:
    """One cluster id per document for its (theme, sub-theme) pair; a theme without sub-themes
    (sub-theme ``-1``) is one cluster, and an unassigned document (theme ``-1``) stays ``-1``."""
    themes = np.asarray(themes, dtype=np.int64)
    subthemes = np.asarray(subthemes, dtype=np.int64)
    if themes.shape != subthemes.shape:
        raise ValueError(f"{len(themes)} themes but {len(subthemes)} sub-themes")
    pairs = themes * 10_000 + np.maximum(subthemes, -1) + 1
    _, ids = np.unique(pairs, return_inverse=True)
    return np.where(themes < 0, -1, ids)


def pair_scores(
    themes: Sequence[int] | np.ndarray, subthemes: Sequence[int] | np.ndarray, gold: Sequence[Any]
) -> dict[str, float]:
    """NMI and ARI of the (theme, sub-theme) pairs against leaf labels *gold*, and how many pairs."""
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    pred = pair_labels(themes, subthemes)
    gold = [str(y) for y in gold]
    return {
        "nmi": float(normalized_mutual_info_score(gold, pred)),
        "ari": float(adjusted_rand_score(gold, pred)),
        "n_pairs": int(len(set(pred[pred >= 0].tolist()))),
    }
