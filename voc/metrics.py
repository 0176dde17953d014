"""Topic-quality measures that need no gold labels: NPMI coherence and topic diversity.

Used by :mod:`voc.evaluate` next to the label-based scores (NMI, ARI, V-measure).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

__all__ = ["npmi_coherence", "topic_diversity"]


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
