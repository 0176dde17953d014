"""The sample a large corpus's themes are fitted on (:meth:`voc.themes.ThemeModel.fit`, ``fit_sample``).

Fitting (the choice of k, k-means, c-TF-IDF) grows faster than linearly with the corpus, while
assigning a document to a fitted theme costs the same for the millionth document as for the first.
So above ``fit_sample`` documents the model clusters a sample drawn proportionally from strata of
a cheap pre-clustering of the embeddings (mini-batch k-means, 64 strata), with a floor per stratum
so that a small theme is not lost by chance, and assigns the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["stratified_sample", "content_strata", "DEFAULT_FIT_SAMPLE"]

#: Default sample size for the theme fit (``[scale] fit_sample``); see docs/performance.md.
DEFAULT_FIT_SAMPLE = 10_000


def stratified_sample(
    n_samples: int, strata: Sequence[Any] | np.ndarray, size: int, *, min_per_stratum: int = 20, seed: int = 42
) -> np.ndarray:
    """Sorted indices of a sample of *size* of ``range(n_samples)``, proportional to *strata*.

    Every stratum gets ``max(min_per_stratum, its proportional share)`` documents (all of them if
    it is smaller); the floors are paid for by the largest strata, so the total is *size*.
    """
    strata = np.asarray(strata)
    if len(strata) != n_samples:
        raise ValueError(f"{len(strata)} strata for {n_samples} documents")
    if size >= n_samples:
        return np.arange(n_samples)
    rng = np.random.default_rng(seed)
    values, inverse, counts = np.unique(strata, return_inverse=True, return_counts=True)
    min_per_stratum = min(min_per_stratum, size // len(values))  # the floors alone never exceed size
    want = np.minimum(counts, np.maximum(min_per_stratum, np.floor(counts * size / n_samples))).astype(int)
    excess = int(want.sum()) - size
    order = np.argsort(-counts, kind="stable")
    while excess != 0:  # trim from (or add to) the largest strata, one at a time, until the total is size
        for j in order:
            if excess > 0 and want[j] > min(min_per_stratum, counts[j]):
                want[j] -= 1
                excess -= 1
            elif excess < 0 and want[j] < counts[j]:
                want[j] += 1
                excess += 1
            if excess == 0:
                break
    picks = [rng.choice(np.flatnonzero(inverse == j), size=want[j], replace=False) for j in range(len(values))]
    return np.sort(np.concatenate(picks))


def content_strata(embeddings: np.ndarray, *, n_strata: int = 64, seed: int = 42) -> np.ndarray:
    """Strata from a mini-batch k-means of the embeddings (``-1`` for empty documents)."""
    from sklearn.cluster import MiniBatchKMeans

    strata = np.full(len(embeddings), -1, dtype=int)
    usable = np.flatnonzero(np.linalg.norm(embeddings, axis=1) > 0)
    if len(usable) > n_strata:
        km = MiniBatchKMeans(n_clusters=n_strata, batch_size=4096, n_init=1, random_state=seed)
        strata[usable] = km.fit_predict(embeddings[usable])
    return strata
