"""Clustering: consensus k-means refined by a two-view mixture model (embeddings and words).

k-means on the embeddings of short texts has two weaknesses measured on the corpora of
docs/quality.md: it depends on its seed (mean pairwise ARI between seeds 0.53 on the ASDC
requests), and it only sees the dense embedding, so a note whose few content words name the theme
plainly can still land with the notes it merely resembles. :class:`ConsensusEMClusterer` fixes
each in turn:

1. **Consensus** (evidence accumulation, Fred & Jain 2005): ``n_runs`` k-means runs with different
   seeds; each document is described by which cluster it joined in every run (one-hot blocks whose
   inner products count the runs two documents shared), and k-means on the top k singular
   directions of those descriptions gives the consensus partition. Documents that always travel
   together end up together whatever the seed.
2. **EM refinement**: starting from the consensus partition, expectation-maximization on a mixture
   whose components each have a multinomial over the documents' words (naive Bayes, the
   "mixture of unigrams" of Nigam et al. 2000, which models a short text as having one topic) and a
   von Mises–Fisher direction over the embeddings (weight ``kappa``). The E-step is
   ``log p(k|d) = log π_k + Σ_w x_dw log φ_kw + κ·e_d·μ_k`` and the M-step re-estimates π, φ and μ.
   The EM is *tempered* (Hofmann 1999): each document's responsibilities are
   ``softmax(log p(k|d) / T)`` with ``T = temperature`` (2 by default), so a document shares its
   weight between themes while the parameters settle, and only the final assignment is the
   argmax. The unigram likelihood counts every word as independent evidence and makes posteriors
   far too sure of themselves; hard EM (``temperature=0``, the default up to commit 11b311e) then locks documents
   in early. Tempered EM gave +0.02 NMI and +0.03 to +0.05 ARI on the two shared labeled corpora
   (the sample corpus: ARI +0.01, NMI unchanged; docs/quality.md).

Every step is seeded: the same inputs and ``random_state`` give the same labels on the same machine
and thread count (another thread count changes floating-point sums; docs/quality.md, "Determinism").
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.preprocessing import normalize

from voc.errors import ConfigError, NotFittedError
from voc.types import Clustering, choices, one_of

__all__ = ["Clustering", "CLUSTERINGS", "ConsensusEMClusterer", "kmeans_restarts"]

log = logging.getLogger(__name__)

#: The accepted values of ``method`` (``[model] clustering``).
CLUSTERINGS: tuple[str, ...] = choices(Clustering)

#: Largest embedding (in values) the consensus copies to float64 for k-means++ seeding (160 MB).
_MAX_FLOAT64_COPY = 20_000_000


def _identity(tokens: Sequence[str]) -> Sequence[str]:
    return tokens


def kmeans_restarts(
    X: np.ndarray, k: int, *, random_state: int, n_init: int = 10, n_jobs: int | None = -1
) -> np.ndarray:
    """The labels of ``KMeans(n_clusters=k, n_init=n_init, random_state=random_state).fit(X)``,
    with the restarts run in up to *n_jobs* threads.

    scikit-learn runs the restarts one after the other, and each one's k-means++ seeding is mostly
    single-threaded (on 9,169 call notes at 60 themes the seeding took 5.3 s of the fit's 8.4 s).
    Here every restart is seeded from the random stream at the point where scikit-learn's own
    restart would start it: the seeding draws a fixed number of values (one for the first centre,
    ``2 + ⌊ln k⌋`` per further centre), so the stream can be advanced past a restart without
    running it. Each restart then runs on one OpenMP thread on the centred data, as scikit-learn
    does, and the best inertia wins under scikit-learn's rule (a lower inertia that is not the same
    partition). The labels equal scikit-learn's up to floating-point ties, and do not depend on
    *n_jobs* (``tests/test_cluster.py`` compares them).
    """
    from sklearn.cluster import KMeans, kmeans_plusplus
    from sklearn.utils.extmath import row_norms

    from voc.parallel import single_threaded_map

    X = np.asarray(X)
    Xc = X - X.mean(axis=0)
    sq = row_norms(Xc, squared=True)
    stream = np.random.RandomState(random_state)
    draws = 1 + (k - 1) * (2 + int(np.log(k)))
    states = []
    for _ in range(int(n_init)):
        states.append(stream.get_state())
        stream.random_sample(draws)

    def one(state: tuple) -> tuple[float, np.ndarray]:
        rs = np.random.RandomState()
        rs.set_state(state)
        init = kmeans_plusplus(Xc, k, random_state=rs, x_squared_norms=sq)[0]
        km = KMeans(n_clusters=k, n_init=1, init=init).fit(Xc)
        return float(km.inertia_), km.labels_

    best: tuple[float, np.ndarray] | None = None
    for inertia, labels in single_threaded_map(one, states, n_jobs):  # in restart order
        if best is None or (inertia < best[0] and not _same_partition(labels, best[1])):
            best = (inertia, labels)
    assert best is not None
    return best[1]


def _same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether label arrays *a* and *b* group the documents alike (up to renaming)."""
    pairs = np.unique(np.stack([a, b]), axis=1)
    return len(pairs[0]) == len(np.unique(a)) == len(np.unique(b))


class ConsensusEMClusterer(ClusterMixin, BaseEstimator):
    """Cluster documents from their embeddings and their tokens.

    Parameters
    ----------
    n_clusters : int
    method : {"consensus-em", "consensus", "em", "kmeans"}
        ``"consensus-em"`` (default): consensus of ``n_runs`` k-means runs, then EM.
        ``"consensus"``: the consensus partition only. ``"em"``: EM from one k-means (``n_init=10``).
        ``"kmeans"``: k-means with ``n_init=10`` only (what voc did before 0.2).
    n_runs : int
        k-means runs behind the consensus, at least 2 (a consensus of one run is that run: use
        ``"kmeans"`` or ``"em"`` instead).
    run_dims : int or None
        The consensus runs cluster the embeddings' top principal components: ``run_dims`` of them,
        or 4 per cluster when that is more (``None``: the full embeddings). The EM step always sees
        the full embeddings.
    run_max_iter : int
        Lloyd iterations of each consensus run at most (scikit-learn's default, 300, lets them
        converge; 30 gave the same accuracy for somewhat less time, see :meth:`_consensus`).
    n_jobs : int or None
        Consensus runs at once, each in its own thread with one BLAS/OpenMP thread (``-1``: one per
        core; ``None`` or ``1``: one run after the other). The labels do not depend on it: every
        run has its own seed and runs single-threaded whatever ``n_jobs`` is.
    kappa : float
        Weight of the embedding (von Mises–Fisher) term next to the word likelihood in EM.
    beta : float
        Additive smoothing of the per-cluster word distributions.
    temperature : float
        EM responsibilities are ``softmax(log posterior / temperature)``; ``0`` runs hard EM
        (each document wholly in its most probable cluster at every step).
    max_iter : int
        EM iterations at most; EM stops earlier when it has converged (no document changes cluster
        in hard EM; no responsibility moves by more than 1e-4 in tempered EM), and before an
        iteration that would leave a cluster with no document.
    random_state : int

    Attributes
    ----------
    labels_ : ndarray of shape (n_documents,)
        Cluster of each document, ``0 .. n_clusters_-1``.
    n_clusters_ : int
    vocabulary_ : dict[str, int]
        Tokens the word model knows (seen in at least two documents, or one in tiny corpora);
        empty for ``"kmeans"`` and ``"consensus"``, which have no word model.
    log_prior_ : ndarray (n_clusters_,)
    log_word_ : ndarray (n_clusters_, n_tokens), float32
    centroids_ : ndarray (n_clusters_, dim), float32
        Mean of each cluster's (L2-normalized) embeddings.
    directions_ : ndarray (n_clusters_, dim), float32
        The centroids scaled to norm 1 (the von Mises–Fisher mean directions).
    n_iter_ : int
        EM iterations run (0 without EM).
    """

    def __init__(
        self,
        n_clusters: int = 8,
        method: Clustering = "consensus-em",
        n_runs: int = 30,
        run_dims: int | None = 64,
        run_max_iter: int = 30,
        n_jobs: int | None = -1,
        kappa: float = 10.0,
        beta: float = 0.5,
        temperature: float = 2.0,
        max_iter: int = 30,
        random_state: int = 42,
    ) -> None:
        self.n_clusters = n_clusters
        self.method = method
        self.n_runs = n_runs
        self.run_dims = run_dims
        self.run_max_iter = run_max_iter
        self.n_jobs = n_jobs
        self.kappa = kappa
        self.beta = beta
        self.temperature = temperature
        self.max_iter = max_iter
        self.random_state = random_state

    # -- steps -----------------------------------------------------------------------------------
    def _kmeans(self, X: np.ndarray, k: int) -> np.ndarray:
        return kmeans_restarts(X, k, random_state=self.random_state, n_jobs=self.n_jobs)

    def _consensus(self, X: np.ndarray, k: int, progress: bool = False) -> np.ndarray:
        from sklearn.cluster import KMeans, kmeans_plusplus

        from voc.parallel import single_threaded_map

        rng = np.random.default_rng(self.random_state)
        n = len(X)
        dims = max(int(self.run_dims), 4 * k) if self.run_dims else 0
        if dims and X.shape[1] > dims and n > dims:
            # the runs only need who lands with whom: on the top principal directions k-means is
            # several times faster and groups the same documents (64 directions were enough for
            # up to 20 themes; 40 themes of long call notes needed more, hence 4 per theme)
            from sklearn.decomposition import PCA

            X = PCA(n_components=dims, random_state=self.random_state).fit_transform(X).astype(np.float32)
        # k-means++ seeding from a float64 copy: scikit-learn's seeding of float32 data upcasts the
        # distances block by block and took 1.5× as long (40 themes, 9,169 call notes). The runs
        # stop after run_max_iter Lloyd iterations (they took 29–66 there): a consensus needs who
        # lands with whom, not converged centroids, and the capped runs gave the same accuracy on
        # the three labeled corpora (docs/quality.md) for somewhat less time (a tenth of
        # the fit on ASDC's 20 themes; more on larger k, within the VM's drift end to end).
        X64 = X.astype(np.float64) if X.size <= _MAX_FLOAT64_COPY else None
        seeds = [int(rng.integers(2**31 - 1)) for _ in range(int(self.n_runs))]

        def one_run(seed: int) -> sp.csr_matrix:
            if X64 is not None:
                init = kmeans_plusplus(X64, k, random_state=np.random.RandomState(seed))[0].astype(X.dtype)
                km = KMeans(n_clusters=k, n_init=1, init=init, max_iter=int(self.run_max_iter))
            else:
                km = KMeans(n_clusters=k, n_init=1, random_state=seed, max_iter=int(self.run_max_iter))
            labels = km.fit_predict(X)
            return sp.csr_matrix((np.ones(n, np.float32), (np.arange(n), labels)), shape=(n, k))

        bar = None
        if progress:
            from tqdm.auto import tqdm

            bar = tqdm(total=len(seeds), desc="themes (k-means runs)", leave=False, disable=None)
        # Each run single-threaded, several runs at once: on 9,169 call notes (40 themes, 160
        # directions) 30 runs took 4.2 s one after the other with two OpenMP threads each, 3.6 s with
        # one, and 2.0 s two at a time (the k-means++ seeding is mostly single-threaded Python and
        # NumPy). One thread per run also makes the runs, hence the labels, independent of n_jobs
        # and of the machine's core count.
        blocks = []
        for block in single_threaded_map(one_run, seeds, self.n_jobs):  # in seed order
            blocks.append(block)
            if bar is not None:
                bar.update()
        if bar is not None:
            bar.close()
        H = sp.hstack(blocks, format="csr")
        # H·Hᵀ counts the runs in which two documents were together (the co-association matrix);
        # its top k singular directions, then k-means, give the consensus partition (spectral
        # clustering of the co-association) without forming the n × n matrix.
        from sklearn.decomposition import TruncatedSVD

        Z = TruncatedSVD(n_components=min(k, H.shape[1] - 1), random_state=self.random_state).fit_transform(H)
        return self._kmeans(normalize(Z).astype(np.float32), k)

    def _count_matrix(self, tokens: Sequence[Sequence[str]], *, fit: bool) -> sp.csr_matrix:
        from sklearn.feature_extraction.text import CountVectorizer

        if fit:
            self.vectorizer_ = CountVectorizer(
                analyzer=_identity, min_df=2 if len(tokens) >= 200 else 1, binary=True, dtype=np.float32
            )
            try:
                X = self.vectorizer_.fit_transform(tokens)
            except ValueError:  # no token in two documents: the word model is empty
                self.vectorizer_, self.vocabulary_ = None, {}
                return sp.csr_matrix((len(tokens), 0), dtype=np.float32)
            # the pruned tokens are kept for introspection only and would bloat saved models
            self.vectorizer_.stop_words_ = None
            self.vocabulary_ = self.vectorizer_.vocabulary_
            return X
        if self.vectorizer_ is None:
            return sp.csr_matrix((len(tokens), 0), dtype=np.float32)
        from voc._counts import count_matrix

        # = self.vectorizer_.transform(tokens), without its per-token Python loop
        return count_matrix(tokens, self.vectorizer_.vocabulary_, binary=True, dtype=np.float32)

    def _m_step(self, R: np.ndarray, X: sp.csr_matrix, E: np.ndarray) -> None:
        Nk = R.sum(axis=0)
        self.log_prior_ = np.log(np.maximum(Nk, 1e-12) / len(R))
        if X.shape[1]:
            W = np.asarray((X.T @ R).T) + float(self.beta)  # (k, V)
            self.log_word_ = (np.log(W) - np.log(W.sum(axis=1, keepdims=True))).astype(np.float32)
        else:
            self.log_word_ = np.zeros((R.shape[1], 0), dtype=np.float32)
        self.centroids_ = (R.T @ E / np.maximum(Nk, 1e-12)[:, None]).astype(np.float32)
        self.directions_ = normalize(self.centroids_).astype(np.float32)

    def _log_posterior(self, X: sp.csr_matrix, E: np.ndarray) -> np.ndarray:
        L = self.log_prior_[None, :] + float(self.kappa) * (E @ self.directions_.T)
        if X.shape[1]:
            L = L + np.asarray(X @ self.log_word_.T)
        return L

    def _em(self, C: sp.csr_matrix, E: np.ndarray, R: np.ndarray, labels: np.ndarray) -> np.ndarray:
        """EM from the partition *labels* (responsibilities *R*); returns the final labels."""
        T = float(self.temperature)
        if T < 0:
            raise ConfigError(f"temperature must be ≥ 0 (0: hard EM), got {self.temperature!r}")
        n, k = R.shape
        for it in range(int(self.max_iter)):
            L = self._log_posterior(C, E)
            new = L.argmax(axis=1)
            if len(np.unique(new)) < k:
                log.debug("EM stopped at iteration %d: a cluster would have emptied", it)
                break
            if T == 0:
                converged = bool((new == labels).all())
                R[:] = 0.0
                R[np.arange(n), new] = 1.0
            else:
                L = L / T
                L -= L.max(axis=1, keepdims=True)
                P = np.exp(L)
                P /= P.sum(axis=1, keepdims=True)
                converged = float(np.abs(P - R).max()) < 1e-4
                R = P
            labels = new
            self._m_step(R, C, E)
            self.n_iter_ = it + 1
            if converged:
                break
        log.debug("EM: %d iterations", self.n_iter_)
        # the assignment that matches the final parameters (what predict() gives)
        final = self._log_posterior(C, E).argmax(axis=1)
        return final if len(np.unique(final)) == k else labels

    # -- scikit-learn API ------------------------------------------------------------------------
    def fit(
        self,
        X: np.ndarray,
        y: object = None,
        *,
        tokens: Sequence[Sequence[str]] | None = None,
        init_labels: np.ndarray | None = None,
        progress: bool = False,
    ) -> ConsensusEMClusterer:
        """Cluster embeddings *X* (one row per document) whose tokens are *tokens*; *progress*
        shows a bar over the consensus runs when stderr is a terminal.

        *init_labels* (one integer in ``0 .. n_clusters-1`` per document, every cluster used)
        replaces the start: EM starts from that partition (``"em"``, ``"consensus-em"``) or Lloyd's
        iterations from its centroids (``"kmeans"``). It is a diagnostic: started from gold labels,
        it shows whether they are a fixed point of the clustering's objective (``bench.oracle``).
        """
        if self.method not in CLUSTERINGS:
            raise ConfigError(f"clustering must be one of {one_of(Clustering)}, got {self.method!r}")
        if self.method in ("consensus", "consensus-em") and (
            isinstance(self.n_runs, bool) or not isinstance(self.n_runs, (int, np.integer)) or self.n_runs < 2
        ):
            raise ConfigError(
                f"n_runs must be an integer ≥ 2 for {self.method!r} clustering, got {self.n_runs!r} "
                "(one run is plain k-means: clustering = \"kmeans\" or \"em\")"
            )
        cap = self.run_max_iter
        if isinstance(cap, bool) or not isinstance(cap, (int, np.integer)) or cap < 1:
            raise ConfigError(f"run_max_iter must be an integer ≥ 1, got {self.run_max_iter!r}")
        E = normalize(np.asarray(X, dtype=np.float64))
        n = len(E)
        k = int(min(self.n_clusters, n))
        if k < 1:
            raise ValueError("n_clusters must be at least 1")
        if tokens is None:
            tokens = [[] for _ in range(n)]
        if len(tokens) != n:
            raise ValueError(f"{len(tokens)} token lists for {n} embeddings")
        E32 = E.astype(np.float32)  # k-means in float32: half the memory traffic, same partitions
        if init_labels is not None:
            labels = self._start(init_labels, E32, k)
        elif self.method in ("consensus", "consensus-em") and k > 1:
            labels = self._consensus(E32, k, progress=progress)
        else:
            labels = self._kmeans(E32, k) if k > 1 else np.zeros(n, dtype=int)
        uses_words = self.method in ("em", "consensus-em")
        if uses_words:
            C = self._count_matrix(tokens, fit=True)
        else:  # no word model: predict() uses the centroids only
            self.vectorizer_, self.vocabulary_ = None, {}
            C = sp.csr_matrix((n, 0), dtype=np.float32)
        R = np.zeros((n, k))
        R[np.arange(n), labels] = 1.0
        self._m_step(R, C, E)
        self.n_iter_ = 0
        if uses_words and k > 1:
            labels = self._em(C, E, R, labels)
        # contiguous labels (k-means can leave a cluster empty only in degenerate data)
        present = np.unique(labels)
        if len(present) < k:
            remap = np.full(k, -1)
            remap[present] = np.arange(len(present))
            labels = remap[labels]
            self.log_prior_ = self.log_prior_[present]
            self.log_word_ = self.log_word_[present]
            self.directions_ = self.directions_[present]
            self.centroids_ = self.centroids_[present]
        self.labels_ = labels.astype(int)
        self.n_clusters_ = int(len(present))
        return self

    def _start(self, init_labels: np.ndarray, E: np.ndarray, k: int) -> np.ndarray:
        """The checked *init_labels* (for ``"kmeans"``: Lloyd's iterations from their centroids)."""
        start = np.asarray(init_labels)
        if self.method == "consensus":
            raise ConfigError("init_labels needs a method that refines a start: 'em', 'consensus-em' or 'kmeans'")
        if (
            start.shape != (len(E),)
            or not np.issubdtype(start.dtype, np.integer)
            or start.min() < 0
            or start.max() >= k
            or len(np.unique(start)) != k
        ):
            raise ValueError(f"init_labels must hold one integer in 0..{k - 1} per document, each value used")
        if self.method != "kmeans":
            return start.astype(int)
        from sklearn.cluster import KMeans

        centroids = np.vstack([E[start == c].mean(axis=0) for c in range(k)])
        return KMeans(n_clusters=k, init=centroids, n_init=1).fit(E).labels_

    def score(self, X: np.ndarray, y: object = None, *, tokens: Sequence[Sequence[str]] | None = None) -> float:
        """The fitted model's objective on documents *X* (their *tokens*), per document; higher is better.

        ``"em"`` / ``"consensus-em"``: the mixture's log-likelihood, ``log Σ_k π_k p(words | k)
        exp(κ e·μ_k)``, up to constants that are the same for every partition (the von
        Mises–Fisher normalizer, shared by all clusters). ``"kmeans"`` / ``"consensus"``: minus the
        squared distance to the nearest centroid (scikit-learn's ``KMeans.score``, per document).
        The EM methods need *tokens* for the word term; without them only the embedding term counts.
        """
        if not hasattr(self, "labels_"):
            raise NotFittedError("this clusterer is not fitted yet: call fit() first")
        E = normalize(np.asarray(X, dtype=np.float64))
        if self.method in ("kmeans", "consensus"):
            C = self.centroids_.astype(np.float64)
            d2 = (E**2).sum(axis=1)[:, None] + (C**2).sum(axis=1)[None, :] - 2.0 * (E @ C.T)
            return float(-np.maximum(d2.min(axis=1), 0.0).mean())
        from scipy.special import logsumexp

        if tokens is None:
            tokens = [[] for _ in range(len(E))]
        L = self._log_posterior(self._count_matrix(tokens, fit=False), E)
        return float(logsumexp(L, axis=1).mean())

    def fit_predict(
        self,
        X: np.ndarray,
        y: object = None,
        *,
        tokens: Sequence[Sequence[str]] | None = None,
        init_labels: np.ndarray | None = None,
        progress: bool = False,
    ) -> np.ndarray:
        return self.fit(X, tokens=tokens, init_labels=init_labels, progress=progress).labels_

    def predict(self, X: np.ndarray, *, tokens: Sequence[Sequence[str]] | None = None) -> np.ndarray:
        """Most probable cluster of new documents (the E-step with the fitted parameters)."""
        if not hasattr(self, "labels_"):
            raise NotFittedError("this clusterer is not fitted yet: call fit() first")
        E = normalize(np.asarray(X, dtype=np.float64))
        if tokens is None:
            tokens = [[] for _ in range(len(E))]
        if self.method in ("kmeans", "consensus"):
            # no word model in these modes: the nearest centroid, as k-means' predict
            d2 = (self.centroids_.astype(np.float64) ** 2).sum(axis=1)[None, :] - 2.0 * (E @ self.centroids_.T)
            return d2.argmin(axis=1)
        return self._log_posterior(self._count_matrix(tokens, fit=False), E).argmax(axis=1)
