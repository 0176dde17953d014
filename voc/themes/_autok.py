"""Auto mode: how many themes a corpus gets.

:func:`choose_k` picks the most stable k within a window set by corpus size. In a scheduled series
of runs it can also keep the previous run's k (*previous_k*) unless another k is clearly more
stable, so that consecutive reports do not jump between two near-equally stable answers
(``voc.pipeline`` reads the previous k from the run history).
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np

from voc.errors import ConfigError

__all__ = ["choose_k", "k_window", "subset_stability"]

log = logging.getLogger(__name__)

#: Documents the stability runs cluster (a random sample of the corpus).
SAMPLE = 2000
#: Random 80% subsets of the sample clustered per candidate k.
SUBSETS = 3


def k_window(n: int) -> tuple[int, int]:
    """The candidate window ``[sqrt(n)/8, sqrt(n)/2]`` for *n* documents (at least 3, at most 40)."""
    root = float(np.sqrt(n))
    k_lo = int(min(max(3, np.ceil(root / 8)), max(2, n // 10)))
    k_hi = int(max(k_lo, min(40, np.floor(root / 2), n // 5)))
    return k_lo, k_hi


def _check(previous_k: int | None, k_margin: float) -> None:
    if previous_k is not None and (
        isinstance(previous_k, bool) or not isinstance(previous_k, (int, np.integer)) or previous_k < 2
    ):
        raise ConfigError(f"previous_k must be an integer ≥ 2 or None, got {previous_k!r}")
    if isinstance(k_margin, bool) or not isinstance(k_margin, (int, float)) or not k_margin >= 0:
        raise ConfigError(f"k_margin must be a number ≥ 0, got {k_margin!r}")


def _kmeans(X: np.ndarray, k: int, seed: int) -> Any:
    """``KMeans(n_clusters=k, n_init=1, random_state=seed).fit(X)`` with the k-means++ seeding done
    on a float64 copy of *X*.

    scikit-learn seeds float32 data by upcasting the distances block by block; from a float64 copy
    a whole choice took 0.39–0.69 s instead of 0.47–0.99 s (15 fits: livedoor, ASDC, the sample
    corpus, the 10k call notes and 10,000 of the 100k lost reasons, seeds 0–2, two threads). The
    seeding draws from ``RandomState(seed)`` in the same order and the Lloyd iterations run on *X*
    itself; only the distances' rounding differs, which could break an exact tie differently. In
    those 15 fits every candidate's stability, hence the chosen k, came out identical.
    """
    from sklearn.cluster import KMeans, kmeans_plusplus

    init = kmeans_plusplus(X.astype(np.float64), k, random_state=np.random.RandomState(seed))[0]
    return KMeans(n_clusters=k, n_init=1, init=init.astype(X.dtype)).fit(X)


def subset_stability(
    sample: np.ndarray, ks: list[int], subsets: list[np.ndarray], seed: int, *, n_jobs: int | None = -1
) -> dict[int, float]:
    """Stability of k-means on *sample* for each k of *ks*: k-means (seed ``seed + r``) is fitted on
    each of the index arrays *subsets* (``r`` its position), every fit labels the whole *sample*,
    and the score is the mean pairwise ARI of those labelings (1: every subset gives the same
    partition). Used by :func:`choose_k` and by :mod:`voc.subthemes`.
    """
    from sklearn.metrics import adjusted_rand_score

    from voc.parallel import single_threaded_map

    def labeling(job: tuple[int, int]) -> np.ndarray:
        k, r = job
        return _kmeans(sample[subsets[r]], k, seed + r).predict(sample)

    # every (k, subset) has its own seed: adding previous_k to the grid leaves the others' scores as they were
    jobs = [(k, r) for k in ks for r in range(len(subsets))]
    done = dict(zip(jobs, single_threaded_map(labeling, jobs, n_jobs), strict=True))
    pairs = [(a, b) for a in range(len(subsets)) for b in range(a + 1, len(subsets))]
    return {k: float(np.mean([adjusted_rand_score(done[(k, a)], done[(k, b)]) for a, b in pairs])) for k in ks}


def choose_k(
    reduced: np.ndarray,
    seed: int,
    *,
    n_jobs: int | None = -1,
    previous_k: int | None = None,
    k_margin: float = 0.1,
) -> tuple[int, dict[int, float], bool]:
    """The number of themes for the documents *reduced* (one embedding per row).

    For each candidate k on a geometric grid over :func:`k_window`, k-means is fitted on three
    random 80% subsets of (up to) 2,000 documents and the three labelings of the whole sample are
    compared; the k with the highest mean pairwise ARI wins. Silhouette, which the first version
    used, grows with k on text embeddings and always picked the largest k (docs/quality.md).

    *previous_k*, when given and inside the window, joins the candidates and is kept unless the
    winner's stability exceeds its own by more than *k_margin*.

    Returns
    -------
    k, stability, kept
        The chosen k, the stability of every candidate (empty when the window has one k), and
        whether *previous_k* was kept over a (slightly) more stable candidate.
    """
    _check(previous_k, k_margin)
    n = len(reduced)
    k_lo, k_hi = k_window(n)
    grid = sorted({int(round(v)) for v in np.geomspace(k_lo, k_hi, num=6)}) if k_hi > k_lo else [k_lo]
    previous = None
    if previous_k is not None:
        if k_lo <= previous_k <= k_hi:
            previous = int(previous_k)
            grid = sorted({*grid, previous})
        else:
            log.info("auto k: the previous run's %d themes are outside this corpus' window %d..%d", previous_k, k_lo, k_hi)
    if len(grid) == 1:
        log.info("auto k: %d themes (corpus of %d texts)", grid[0], n)
        return grid[0], {}, False
    rng = np.random.default_rng(seed)
    sample = reduced[rng.choice(n, size=min(n, SAMPLE), replace=False)]
    subsets = [rng.choice(len(sample), size=int(0.8 * len(sample)), replace=False) for _ in range(SUBSETS)]
    stability = subset_stability(sample, grid, subsets, seed, n_jobs=n_jobs)
    best_k, best_score = grid[0], -np.inf
    for k in grid:
        score = stability[k]
        log.debug("auto k: k=%d stability (ARI) %.3f", k, score)
        if score > best_score + 1e-9:
            best_k, best_score = k, score
    if previous is not None and previous != best_k and best_score - stability[previous] <= k_margin:
        log.info(
            "auto k: kept the previous run's %d themes (stability %.3f; %d is at %.3f, within the margin "
            "of %.2f; window %d..%d)",
            previous, stability[previous], best_k, best_score, k_margin, k_lo, k_hi,
        )
        return previous, stability, True
    runner_up = max((k for k in grid if k != best_k), key=lambda k: stability[k])
    log.info(
        "auto k: chose %d themes (stability %.3f; runner-up %d at %.3f; window %d..%d)",
        best_k, best_score, runner_up, stability[runner_up], k_lo, k_hi,
    )
    return best_k, stability, False
