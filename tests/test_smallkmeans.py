"""voc.subthemes._smallkmeans: the sub-themes' k-means and ARI, against scikit-learn's."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score

from voc.subthemes._smallkmeans import adjusted_rand, kmeans


def test_adjusted_rand_equals_scikit_learn() -> None:
    rng = np.random.default_rng(0)
    for _ in range(200):
        n = int(rng.integers(2, 300))
        a = rng.integers(0, int(rng.integers(1, 8)), n)
        b = rng.integers(0, int(rng.integers(1, 8)), n)
        assert adjusted_rand(a, b) == pytest.approx(adjusted_rand_score(a, b), abs=1e-12)
    assert adjusted_rand([0, 0, 0], [1, 1, 1]) == adjusted_rand_score([0, 0, 0], [1, 1, 1])


def test_kmeans_finds_separated_groups_as_scikit_learn_does() -> None:
    rng = np.random.default_rng(1)
    X = np.vstack([rng.standard_normal((150, 20)) + 6 * c for c in range(4)])
    truth = np.repeat(np.arange(4), 150)
    km = kmeans(X, 4, seed=3)
    ref = KMeans(4, n_init=10, random_state=0).fit(X)
    assert adjusted_rand(km.labels, truth) == 1.0
    assert km.inertia == pytest.approx(ref.inertia_, rel=1e-9)
    assert (km.predict(X) == km.labels).all()


def test_kmeans_is_seeded_and_keeps_k_groups() -> None:
    rng = np.random.default_rng(2)
    X = rng.standard_normal((300, 8))
    a, b = kmeans(X, 5, seed=7), kmeans(X, 5, seed=7)
    assert (a.labels == b.labels).all() and a.inertia == b.inertia
    assert len(set(a.labels.tolist())) == 5
    # duplicates: fewer distinct points than k still gives k non-empty groups
    D = np.repeat(rng.standard_normal((3, 4)), 10, axis=0)
    assert len(set(kmeans(D, 3, seed=0).labels.tolist())) == 3
    with pytest.raises(ValueError, match="k must be"):
        kmeans(X[:3], 4, seed=0)


def test_fewer_distinct_points_than_groups_gives_finite_centres_without_warnings() -> None:
    """Repeated statements: 2 distinct points in k = 4 groups. An emptied group used to get a NaN
    centre (0/0), and NaN distances drew every point to it; now it keeps its centre, no point is
    moved out of a group of one, and the points stay grouped by value."""
    import warnings

    import numpy as np

    from voc.subthemes._smallkmeans import kmeans

    X = np.array([[0.0, 0.0]] * 6 + [[1.0, 1.0]] * 3 + [[0.0, 2.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for k in (3, 4, 6):
            for seed in range(5):
                fit = kmeans(X, k, seed)
                assert np.isfinite(fit.centers).all() and fit.inertia == 0.0
                assert len(set(fit.labels[:6].tolist())) == 1 and len(set(fit.labels[6:9].tolist())) == 1
                assert len({fit.labels[0], fit.labels[6], fit.labels[9]}) == 3
