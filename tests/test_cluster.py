"""voc.themes.cluster: consensus k-means + two-view EM, on synthetic data whose answer is known."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from voc.errors import ConfigError, NotFittedError
from voc.themes.cluster import CLUSTERINGS, ConsensusEMClusterer, kmeans_restarts


def _two_views(n_per: int = 60, k: int = 4, noise: float = 2.0, seed: int = 0):
    """Documents of *k* groups: embeddings that barely separate the groups (big noise), and
    tokens that name the group plainly (two of the group's own words plus shared filler)."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(k, 16))
    truth = np.repeat(np.arange(k), n_per)
    emb = centres[truth] + noise * rng.normal(size=(len(truth), 16))
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    vocab = [[f"g{g}w{j}" for j in range(6)] for g in range(k)]
    filler = [f"f{j}" for j in range(20)]
    tokens = [
        list(rng.choice(vocab[g], size=2, replace=False)) + list(rng.choice(filler, size=3, replace=False))
        for g in truth
    ]
    return emb.astype(np.float32), tokens, truth


def test_em_uses_the_words():
    emb, tokens, truth = _two_views()
    km = ConsensusEMClusterer(4, method="kmeans", random_state=0).fit_predict(emb, tokens=tokens)
    em = ConsensusEMClusterer(4, method="consensus-em", random_state=0).fit_predict(emb, tokens=tokens)
    ari_km, ari_em = adjusted_rand_score(truth, km), adjusted_rand_score(truth, em)
    assert ari_km < 0.6  # the embeddings alone do not find the groups...
    assert ari_em > 0.8 and ari_em > ari_km + 0.3  # ...their words do


def test_same_seed_same_labels_and_contiguous_ids():
    emb, tokens, _ = _two_views(seed=1)
    a = ConsensusEMClusterer(4, random_state=7).fit(emb, tokens=tokens)
    b = ConsensusEMClusterer(4, random_state=7).fit(emb, tokens=tokens)
    np.testing.assert_array_equal(a.labels_, b.labels_)
    assert sorted(set(a.labels_.tolist())) == list(range(a.n_clusters_))
    assert a.log_word_.shape == (a.n_clusters_, len(a.vocabulary_))


@pytest.mark.parametrize("method", CLUSTERINGS)
def test_predict_on_training_data_agrees_with_fit(method):
    emb, tokens, _ = _two_views(noise=0.5, seed=2)
    model = ConsensusEMClusterer(4, method=method, random_state=0).fit(emb, tokens=tokens)
    pred = model.predict(emb, tokens=tokens)
    assert np.mean(pred == model.labels_) > 0.95


def test_unknown_tokens_and_pickling():
    emb, tokens, _ = _two_views(seed=3)
    model = ConsensusEMClusterer(4, random_state=0).fit(emb, tokens=tokens)
    again = pickle.loads(pickle.dumps(model))
    unseen = [["never-seen"] for _ in range(5)]
    np.testing.assert_array_equal(model.predict(emb[:5], tokens=unseen), again.predict(emb[:5], tokens=unseen))


def test_errors():
    emb, tokens, _ = _two_views(n_per=5)
    with pytest.raises(ConfigError, match="clustering must be one of"):
        ConsensusEMClusterer(3, method="hdbscan").fit(emb, tokens=tokens)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="token lists"):
        ConsensusEMClusterer(3).fit(emb, tokens=tokens[:-1])
    with pytest.raises(NotFittedError):
        ConsensusEMClusterer(3).predict(emb)


@pytest.mark.parametrize("temperature", [0.0, 1.0, 2.0])
def test_hard_and_tempered_em_find_the_groups_and_predict_their_own_labels(temperature):
    emb, tokens, truth = _two_views(seed=4)
    model = ConsensusEMClusterer(4, temperature=temperature, random_state=0).fit(emb, tokens=tokens)
    assert adjusted_rand_score(truth, model.labels_) > 0.8
    assert model.n_iter_ >= 1
    if temperature:  # tempered EM returns the assignment its final parameters give
        np.testing.assert_array_equal(model.predict(emb, tokens=tokens), model.labels_)


def test_negative_temperature_is_a_config_error():
    emb, tokens, _ = _two_views(n_per=10)
    with pytest.raises(ConfigError, match="temperature"):
        ConsensusEMClusterer(3, temperature=-1.0).fit(emb, tokens=tokens)


@pytest.mark.parametrize("runs", [1, 0, 2.5, True])
def test_consensus_needs_two_runs(runs):
    emb, tokens, _ = _two_views(n_per=10)
    with pytest.raises(ConfigError, match="n_runs must be an integer ≥ 2"):
        ConsensusEMClusterer(3, n_runs=runs).fit(emb, tokens=tokens)
    # the methods without a consensus do not use it
    assert len(ConsensusEMClusterer(3, method="em", n_runs=runs).fit(emb, tokens=tokens).labels_) == len(emb)


@pytest.mark.parametrize("cap", [0, 1.5, None])
def test_run_max_iter_is_checked(cap):
    emb, tokens, _ = _two_views(n_per=10)
    with pytest.raises(ConfigError, match="run_max_iter must be an integer ≥ 1"):
        ConsensusEMClusterer(3, run_max_iter=cap).fit(emb, tokens=tokens)


def test_tempered_em_escapes_where_hard_em_locks_in():
    # Six groups whose embeddings overlap heavily (noise 3): hard EM commits every document at the
    # first E-step and keeps most of the consensus' mistakes; tempered EM lets the word
    # distributions settle first (docs/quality.md: +0.02 NMI on both shared corpora).
    hard, tempered = [], []
    for seed in range(4):
        emb, tokens, truth = _two_views(n_per=60, k=6, noise=3.0, seed=seed)
        for temperature, out in ((0.0, hard), (2.0, tempered)):
            labels = ConsensusEMClusterer(6, temperature=temperature, random_state=seed).fit_predict(emb, tokens=tokens)
            out.append(adjusted_rand_score(truth, labels))
    assert all(t > h for t, h in zip(tempered, hard, strict=True)), (hard, tempered)
    assert np.mean(tempered) > np.mean(hard) + 0.15, (hard, tempered)


@pytest.mark.parametrize("float64_seeding", [True, False])
def test_consensus_runs_with_capped_lloyd_find_clear_groups(monkeypatch, float64_seeding):
    # The consensus runs seed k-means++ from a float64 copy unless the embedding is too big to
    # copy, and stop after run_max_iter Lloyd iterations: both paths still find groups that the
    # embeddings separate plainly, and the same seed gives the same partition.
    import voc.themes.cluster as vc

    if not float64_seeding:
        monkeypatch.setattr(vc, "_MAX_FLOAT64_COPY", 0)
    import sklearn.cluster

    caps: list[int] = []

    class SpyKMeans(sklearn.cluster.KMeans):
        def fit(self, X, y=None, sample_weight=None):
            caps.append(self.max_iter)
            return super().fit(X, y, sample_weight)

    monkeypatch.setattr(sklearn.cluster, "KMeans", SpyKMeans)
    emb, tokens, truth = _two_views(n_per=40, k=5, noise=0.3, seed=4)
    model = ConsensusEMClusterer(5, method="consensus", n_runs=4, run_max_iter=2, random_state=0)
    labels = model.fit_predict(emb, tokens=tokens)
    assert caps[:4] == [2, 2, 2, 2]  # the four consensus runs (then the final k-means, uncapped)
    assert adjusted_rand_score(truth, labels) > 0.95
    again = ConsensusEMClusterer(5, method="consensus", n_runs=4, run_max_iter=2, random_state=0).fit_predict(
        emb, tokens=tokens
    )
    np.testing.assert_array_equal(labels, again)


def test_progress_bar_counts_the_consensus_runs(monkeypatch):
    import tqdm.auto

    bars = []

    class Bar:
        def __init__(self, total, **kwargs):
            self.total, self.n, self.closed = total, 0, False
            bars.append(self)

        def update(self, n=1):
            self.n += n

        def close(self):
            self.closed = True

    monkeypatch.setattr(tqdm.auto, "tqdm", Bar)
    emb, tokens, _ = _two_views(n_per=10)
    quiet = ConsensusEMClusterer(3, n_runs=4, random_state=0).fit_predict(emb, tokens=tokens)
    assert bars == []
    shown = ConsensusEMClusterer(3, n_runs=4, random_state=0).fit_predict(emb, tokens=tokens, progress=True)
    assert [(b.total, b.n, b.closed) for b in bars] == [(4, 4, True)]
    np.testing.assert_array_equal(quiet, shown)



def test_consensus_runs_in_threads_single_threaded_and_same_labels_whatever_n_jobs(monkeypatch):
    # The runs go to a thread pool, each with one OpenMP/BLAS thread (OpenMP limits are per
    # thread, so each run sets its own): the labels are the same for every n_jobs.
    import threading

    import sklearn.cluster
    from threadpoolctl import threadpool_info

    seen: list[tuple[int, int]] = []

    class SpyKMeans(sklearn.cluster.KMeans):
        def fit(self, X, y=None, sample_weight=None):
            if self.max_iter == 30:  # a consensus run (run_max_iter; the final k-means's restarts have 300)
                omp = [i["num_threads"] for i in threadpool_info() if i["user_api"] == "openmp"]
                seen.append((threading.get_ident(), max(omp, default=1)))
            return super().fit(X, y, sample_weight)

    monkeypatch.setattr(sklearn.cluster, "KMeans", SpyKMeans)
    emb, tokens, _ = _two_views(n_per=40, k=5, noise=1.0, seed=5)
    labels = {}
    for n_jobs in (None, 1, 2, -1):
        seen.clear()
        labels[n_jobs] = ConsensusEMClusterer(5, n_runs=8, n_jobs=n_jobs, random_state=3).fit_predict(emb, tokens=tokens)
        assert len(seen) == 8 and {threads for _, threads in seen} == {1}
        assert threading.get_ident() not in {ident for ident, _ in seen}  # runs are on pool threads
    for n_jobs in (1, 2, -1):
        np.testing.assert_array_equal(labels[None], labels[n_jobs])


def test_init_labels_start_em_and_kmeans_from_a_given_partition():
    # In kmeans mode the embeddings alone do not find the groups (test_em_uses_the_words), but
    # Lloyd's iterations started from the true groups' centroids stay near them; EM started from
    # the truth keeps the truth's cluster ids (a consensus start would number clusters arbitrarily).
    emb, tokens, truth = _two_views(noise=1.2, seed=5)
    ids = np.array([2, 0, 3, 1])[truth]  # the truth under other cluster ids
    em = ConsensusEMClusterer(4, method="em", random_state=0).fit(emb, tokens=tokens, init_labels=ids)
    assert np.mean(em.labels_ == ids) > 0.9
    km_free = ConsensusEMClusterer(4, method="kmeans", random_state=0).fit_predict(emb, tokens=tokens)
    km_start = ConsensusEMClusterer(4, method="kmeans", random_state=0).fit_predict(emb, tokens=tokens, init_labels=ids)
    assert adjusted_rand_score(truth, km_start) > adjusted_rand_score(truth, km_free)
    # Lloyd from those centroids is what scikit-learn's KMeans does with them as its init
    from sklearn.cluster import KMeans

    centroids = np.vstack([emb[ids == c].mean(axis=0) for c in range(4)])
    np.testing.assert_array_equal(km_start, KMeans(4, init=centroids, n_init=1).fit(emb).labels_)


@pytest.mark.parametrize(
    "bad, error",
    [
        (np.zeros(10, dtype=int), ValueError),  # wrong length
        (np.tile([0, 1], 120), ValueError),  # clusters 2 and 3 unused
        (np.tile([0, 1, 2, 4], 60), ValueError),  # out of range
        (np.tile([0.0, 1.0, 2.0, 3.0], 60), ValueError),  # not integers
    ],
)
def test_init_labels_are_checked(bad, error):
    emb, tokens, _ = _two_views()
    with pytest.raises(error, match="init_labels"):
        ConsensusEMClusterer(4, method="em").fit(emb, tokens=tokens, init_labels=bad)
    with pytest.raises(ConfigError, match="init_labels"):
        ConsensusEMClusterer(4, method="consensus").fit(emb, tokens=tokens, init_labels=np.tile([0, 1, 2, 3], 60))


def test_score_is_the_objective_the_fit_climbs():
    from scipy.special import logsumexp
    from sklearn.cluster import KMeans

    emb, tokens, truth = _two_views(noise=1.5, seed=6)
    rng = np.random.default_rng(0)
    shuffled = rng.permutation(truth)  # a start with no structure
    start = ConsensusEMClusterer(4, method="em", max_iter=0).fit(emb, tokens=tokens, init_labels=shuffled)
    fitted = ConsensusEMClusterer(4, method="em", max_iter=30).fit(emb, tokens=tokens, init_labels=shuffled)
    assert fitted.n_iter_ > 0 and start.n_iter_ == 0
    assert fitted.score(emb, tokens=tokens) > start.score(emb, tokens=tokens)
    # the value: the mixture's log-likelihood per document, from the fitted parameters
    E = emb / np.linalg.norm(emb, axis=1, keepdims=True)
    X = np.array([[t in doc for t in sorted(fitted.vocabulary_, key=fitted.vocabulary_.get)] for doc in tokens], float)
    L = fitted.log_prior_ + fitted.kappa * E @ fitted.directions_.T + X @ fitted.log_word_.T
    assert fitted.score(emb, tokens=tokens) == pytest.approx(logsumexp(L, axis=1).mean(), rel=1e-5)
    # k-means mode: scikit-learn's KMeans.score per document
    km = ConsensusEMClusterer(4, method="kmeans").fit(emb, tokens=tokens, init_labels=truth)
    ref = KMeans(4, init=km.centroids_, n_init=1, max_iter=1).fit(E)
    assert km.score(emb) == pytest.approx(ref.score(E) / len(E), rel=1e-4)
    with pytest.raises(NotFittedError):
        ConsensusEMClusterer(4).score(emb, tokens=tokens)


@pytest.mark.parametrize("k", [3, 7, 12])
def test_kmeans_restarts_in_threads_give_scikit_learns_labels(k):
    # The restarts run in threads, each seeded where scikit-learn's own restart would start in the
    # random stream: the labels are scikit-learn's KMeans(n_init=10) labels, whatever n_jobs.
    from sklearn.cluster import KMeans

    emb, _, _ = _two_views(n_per=50, k=6, noise=1.5, seed=11)
    for seed in (0, 42):
        expected = KMeans(n_clusters=k, n_init=10, random_state=seed).fit(emb).labels_
        for n_jobs in (1, 2):
            got = kmeans_restarts(emb, k, random_state=seed, n_jobs=n_jobs)
            np.testing.assert_array_equal(got, expected)
    # fewer restarts are another fit: the stream positions matter, not only the first restart
    assert not all(
        np.array_equal(kmeans_restarts(emb, k, random_state=s, n_init=1), KMeans(k, n_init=10, random_state=s).fit(emb).labels_)
        for s in range(5)
    )
