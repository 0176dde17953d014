"""Themes: a scikit-learn-style wrapper around BERTopic.

The wrapper tokenizes each document once, embeds it with an offline backend (:mod:`voc.embed`),
optionally reduces with a seeded UMAP, clusters (:mod:`voc.themes.cluster`: consensus k-means refined by a
mixture model over embeddings and words, for a fixed or automatically chosen k), and lets
BERTopic's c-TF-IDF find each theme's Japanese keywords from the same tokens.
"""

from __future__ import annotations

import logging
import pickle
import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator

from voc.errors import ConfigError, InputError, NotFittedError
from voc.themes._bertopic import import_bertopic
from voc.themes._parts import Assigner, FixedLabels, Identity, Precomputed, split_tokens
from voc.tokenize import Tokenizer
from voc.types import Clustering, NThemes, Reduction, choices, one_of, parse_n_themes

__all__ = ["ThemeModel", "MIN_DOCUMENTS"]

log = logging.getLogger(__name__)

#: Fewer documents than this cannot be clustered meaningfully.
MIN_DOCUMENTS = 10


class ThemeModel(BaseEstimator):
    """Find themes in Japanese texts.

    Parameters
    ----------
    n_themes : int or "auto"
        Number of themes. ``"auto"`` picks the most stable k (k-means on subsamples) within a
        window set by corpus size, see :func:`voc.themes._autok.choose_k`.
    embedding : str
        Embedding backend name (:func:`voc.embed.available_embedders`).
    clustering : {"consensus-em", "consensus", "em", "kmeans"}
        How documents are grouped once embedded (:class:`voc.themes.cluster.ConsensusEMClusterer`).
        ``"consensus-em"`` (default) was within 0.02 NMI/ARI of the most accurate method on every
        labeled corpus measured and the most accurate with seed stability ≥ 0.8 on both shared
        corpora (``"em"`` alone: 0.67 on ASDC; ``"consensus"`` alone: NMI 0.05 lower;
        docs/quality.md); ``"kmeans"`` is plain k-means with 10 initializations (voc 0.1).
    consensus_runs : int
        k-means runs behind the consensus (``"consensus"`` and ``"consensus-em"``), at least 2.
        60 gave slightly steadier themes across seeds (livedoor 0.96 → 0.97, ASDC 0.90 → 0.92)
        at 1.4–1.7× the clustering time (docs/quality.md).
    reduction : {"none", "umap"}
        Reduce the embeddings with a seeded UMAP before clustering, or cluster them as they are.
        ``"none"`` is the default: on the corpora measured so far UMAP lowered NMI (see docs/quality.md) and
        its JIT compilation costs ~45 s per process.
    tokenizer : Tokenizer, optional
        Defaults to ``Tokenizer()``.
    n_neighbors, n_components : int
        UMAP parameters (capped for small corpora).
    top_n_words : int
        Keywords kept per theme.
    random_state : int
        Seed for the SVD, UMAP and k-means: the same input and seed give the same themes.
    n_jobs : int or None
        Threads for the k-means runs of the theme fit (the consensus runs and auto mode's stability
        runs), each run single-threaded (``-1``: one per core; ``None`` or ``1``: one at a time).
        The themes do not depend on it.
    previous_k : int, optional
        Auto mode only: the number of themes the previous run of a scheduled series chose
        (:func:`voc.pipeline.run_report` reads it from the run history). It joins the candidates
        and is kept unless another candidate's stability beats it by more than *k_margin*, so that
        consecutive runs do not jump between near-equally stable k (docs/quality.md, "Auto mode across runs").
    k_margin : float
        How much more stable (mean pairwise ARI) another k must be to replace *previous_k*.
        0.1 by default: with the seed alone, one candidate's stability varied by up to 0.12 over
        five seeds (k = 13 on the benchmark's 100k lost reasons: 0.28–0.39). ``0`` keeps
        *previous_k* only when it is at least as stable as every other candidate.
    fit_sample : int, optional
        Above this many documents, :meth:`fit` clusters a stratified sample of this size (strata
        from a mini-batch k-means of the embeddings, :func:`voc.themes.stratified_sample`) and
        assigns the other documents to the fitted themes with :meth:`transform`, in batches.
        ``None`` or ``0``: cluster every document. The pipeline's default is 10,000
        (``[scale] fit_sample``; docs/performance.md).
    batch_size : int
        Documents per embedding and assignment batch.
    seed_words : list of list of str, optional
        Guided topics (BERTopic's ``seed_topic_list``): one word list per seeded theme, e.g. from
        :meth:`voc.taxonomy.Taxonomy.seed_topic_list`. Documents nearest a list's embedding are
        nudged towards it before clustering (:func:`voc.themes.guide_embeddings`) and the words'
        c-TF-IDF weight is doubled.

    Attributes
    ----------
    tokenizer_ : Tokenizer
    embedder_ : voc.embed.Embedder
    topic_model_ : bertopic.BERTopic
    clusterer_ : voc.themes.cluster.ConsensusEMClusterer
    labels_ : ndarray of shape (n_documents,)
        Theme of every document passed to :meth:`fit` (``-1``: nothing to embed), whether it was
        clustered or assigned.
    sample_ : ndarray of int
        Indices (into the documents passed to :meth:`fit`) of the documents that were clustered:
        ``keywords_`` and the c-TF-IDF describe these. All documents unless *fit_sample* applied.
    documents_ : list of str
        The documents passed to :meth:`fit` (for :meth:`theme_info`'s sizes and quotes).
    tokens_ : list of list of str
        Their tokens.
    embeddings_ : ndarray of shape (n_documents, n_dims)
        Their embeddings (``float32`` when embedded in batches).
    n_themes_ : int
    keywords_ : dict[int, list[tuple[str, float]]]
        c-TF-IDF keywords per theme, best first.
    timings_ : dict[str, float]
        Seconds spent in the last fit: ``embed`` (when :meth:`fit` embedded), ``sample``,
        ``reduce``, ``cluster`` and ``assign`` (when a sample was clustered).
    k_stability_ : dict[int, float]
        Auto mode: the stability (mean pairwise ARI) of each candidate k; the largest wins unless
        *previous_k* is kept. Empty when the number of themes was given or the corpus left one
        candidate.
    k_chosen_ : int or None
        Auto mode: the number of themes chosen (``None`` when it was given).
    k_kept_ : bool
        Auto mode: *previous_k* was kept although another candidate was (slightly) more stable.
    """

    def __init__(
        self,
        n_themes: NThemes = "auto",
        embedding: str = "lsa+chive",
        clustering: Clustering = "consensus-em",
        consensus_runs: int = 30,
        reduction: Reduction = "none",
        tokenizer: Tokenizer | None = None,
        n_neighbors: int = 15,
        n_components: int = 5,
        top_n_words: int = 10,
        random_state: int = 42,
        seed_words: list[list[str]] | None = None,
        n_jobs: int | None = -1,
        previous_k: int | None = None,
        k_margin: float = 0.1,
        fit_sample: int | None = None,
        batch_size: int = 50_000,
    ) -> None:
        self.n_themes = n_themes
        self.embedding = embedding
        self.clustering = clustering
        self.consensus_runs = consensus_runs
        self.reduction = reduction
        self.tokenizer = tokenizer
        self.n_neighbors = n_neighbors
        self.n_components = n_components
        self.top_n_words = top_n_words
        self.random_state = random_state
        self.seed_words = seed_words
        self.n_jobs = n_jobs
        self.previous_k = previous_k
        self.k_margin = k_margin
        self.fit_sample = fit_sample
        self.batch_size = batch_size

    # -- stages ----------------------------------------------------------------------------------
    def tokenize(self, texts: Sequence[str], *, progress: bool = False) -> list[list[str]]:
        """Tokens of *texts* with this model's tokenizer (fitted or not)."""
        tok = getattr(self, "tokenizer_", None) or self.tokenizer or Tokenizer()
        return tok.tokenize_many(texts, progress=progress)

    def embed(self, texts: Sequence[str], tokens: Sequence[Sequence[str]]) -> np.ndarray:
        """Embeddings of documents with the fitted backend."""
        self._check_fitted()
        return self.embedder_.transform(texts, tokens)

    def _check_fitted(self) -> None:
        if not hasattr(self, "topic_model_"):
            raise NotFittedError("this ThemeModel is not fitted yet: call fit() first")

    def _reducer(self, n: int, seed: int) -> Any:
        if self.reduction not in choices(Reduction):
            raise ConfigError(f"reduction must be one of {one_of(Reduction)}, got {self.reduction!r}")
        if self.reduction == "none":
            return Identity()
        from umap import UMAP

        return UMAP(
            n_neighbors=max(2, min(self.n_neighbors, n - 1)),
            n_components=max(2, min(self.n_components, n - 2)),
            min_dist=0.0,
            metric="cosine",
            random_state=seed,
            low_memory=True,
        )

    def _choose_k(self, reduced: np.ndarray, seed: int) -> int:
        """The number of themes in auto mode (:func:`voc.themes._autok.choose_k`)."""
        from voc.themes._autok import choose_k

        k, self.k_stability_, self.k_kept_ = choose_k(
            reduced, seed, n_jobs=self.n_jobs, previous_k=self.previous_k, k_margin=self.k_margin
        )
        return k

    # -- scikit-learn API ------------------------------------------------------------------------
    def fit(
        self,
        texts: Sequence[str],
        y: Any = None,
        *,
        tokens: Sequence[Sequence[str]] | None = None,
        embeddings: np.ndarray | None = None,
        embedder: Any = None,
        executor: Any = None,
        progress: bool = False,
    ) -> ThemeModel:
        """Fit themes on *texts* (cleaned strings): the one way voc fits themes.

        Tokenizes (unless *tokens* are given), embeds (unless *embeddings* are given; a fitted
        *embedder* is reused), clusters every document or, above *fit_sample* documents, a
        stratified sample of them, finds each theme's keywords with c-TF-IDF, and assigns the
        documents that were not clustered. *executor* runs the tokenizing, the embedding and the
        assignment: :class:`voc.parallel.LocalExecutor` (default, one process) or
        :class:`voc.distributed.DaskExecutor`; the themes do not depend on it. *progress* shows
        bars over the long steps when stderr is a terminal.
        """
        from voc.embed import embed_corpus
        from voc.parallel import LocalExecutor
        from voc.themes._sample import content_strata, stratified_sample

        texts = texts if isinstance(texts, list) else list(texts)  # the same list: Dask keeps its partitions
        executor = executor if executor is not None else LocalExecutor(n_jobs=1)
        self.tokenizer_ = self.tokenizer if self.tokenizer is not None else Tokenizer()
        if tokens is None:
            tokens = executor.tokenize(self.tokenizer_, texts, progress=progress)
        if len(tokens) != len(texts):
            raise ValueError(f"{len(tokens)} token lists for {len(texts)} texts")
        seed = int(self.random_state)
        n = len(texts)
        size = int(self.fit_sample or 0)
        sampled = 0 < size < n
        self.timings_: dict[str, float] = {}
        t0 = time.perf_counter()
        if embeddings is None:
            embedder, embeddings = embed_corpus(
                texts, tokens, self.embedding, random_state=seed, embedder=embedder, fit_sample=self.fit_sample,
                executor=executor, batch_size=self.batch_size, progress=progress,
            )
            self.timings_["embed"] = time.perf_counter() - t0
        elif embedder is None:
            from voc.embed import make_embedder

            embedder = make_embedder(self.embedding, random_state=seed).fit(texts, tokens)
        if len(embeddings) != n:
            raise ValueError(f"{len(embeddings)} embeddings for {n} texts")
        if sampled:
            t0 = time.perf_counter()
            idx = stratified_sample(n, content_strata(embeddings, seed=seed), size, seed=seed)
            self.timings_["sample"] = time.perf_counter() - t0
            log.info("themes: fitting on a stratified sample of %d of %d documents", len(idx), n)
            fitted = self._fit_documents(
                [texts[i] for i in idx], [tokens[i] for i in idx], embeddings[idx], embedder, progress
            )
            labels = np.full(n, -1, dtype=int)
            labels[idx] = fitted
            t0 = time.perf_counter()
            rest = np.setdiff1d(np.arange(n), idx, assume_unique=True)
            labels[rest] = executor.assign(
                self._assigner(), texts, tokens, embeddings, rest, batch_size=self.batch_size, progress=progress
            )
            self.timings_["assign"] = time.perf_counter() - t0
        else:
            idx = np.arange(n)
            labels = self._fit_documents(texts, tokens, embeddings, embedder, progress)
        self.labels_ = labels
        self.sample_ = idx
        self.documents_ = texts
        self.tokens_ = tokens
        self.embeddings_ = embeddings
        return self

    def fit_transform(
        self,
        texts: Sequence[str],
        y: Any = None,
        **kwargs: Any,
    ) -> np.ndarray:
        """Fit and return the theme of each document (``-1``: nothing to embed); see :meth:`fit`."""
        return self.fit(texts, **kwargs).labels_

    def _fit_documents(
        self,
        texts: list[str],
        tokens: Sequence[Sequence[str]],
        embeddings: np.ndarray,
        embedder: Any,
        progress: bool,
    ) -> np.ndarray:
        """Cluster these documents and find their themes' keywords; their theme each."""
        n_themes = parse_n_themes(self.n_themes)
        seed = int(self.random_state)
        if self.clustering not in choices(Clustering):
            raise ConfigError(f"clustering must be one of {one_of(Clustering)}, got {self.clustering!r}")
        self.embedder_ = embedder
        usable = np.flatnonzero(np.linalg.norm(embeddings, axis=1) > 0)
        if len(usable) < MIN_DOCUMENTS:
            raise InputError(
                f"only {len(usable)} texts have content words; at least {MIN_DOCUMENTS} are needed to find themes",
                hint="check the text column, or lower the filtering (stopwords)",
            )
        docs = [" ".join(tokens[i]) for i in usable]
        used_tokens = [tokens[i] for i in usable]
        emb, seed_terms = self._guided(np.ascontiguousarray(embeddings[usable]))
        umap_model = self._reducer(len(usable), seed)
        with warnings.catch_warnings():
            # UMAP warns that a fixed random_state disables parallelism: that is the point.
            warnings.filterwarnings("ignore", message=".*n_jobs.*", category=UserWarning)
            warnings.filterwarnings("ignore", message=".*random_state.*", category=UserWarning)
            t0 = time.perf_counter()
            reduced = umap_model.fit_transform(emb)
            self.timings_["reduce"] = time.perf_counter() - t0
            t0 = time.perf_counter()
            clusters = self._cluster(reduced, n_themes, used_tokens, seed, progress)
            topics = self._fit_topics(docs, emb, clusters, Precomputed(umap_model, reduced), seed_terms)
            self.timings_["cluster"] = time.perf_counter() - t0
        if isinstance(self.topic_model_.umap_model, Precomputed):
            self.topic_model_.umap_model = self.topic_model_.umap_model.model
        # BERTopic numbers topics by size: remember which topic each cluster became
        self.cluster_topics_ = np.full(self.clusterer_.n_clusters_, -1, dtype=int)
        self.cluster_topics_[clusters] = np.asarray(topics, dtype=int)
        labels = np.full(len(texts), -1, dtype=int)
        labels[usable] = np.asarray(topics, dtype=int)
        self.n_themes_ = int(len(set(labels[labels >= 0])))
        self.keywords_ = self._keywords(used_tokens, topics, sorted(set(labels[labels >= 0])))
        return labels

    def _guided(self, emb: np.ndarray) -> tuple[np.ndarray, list[str] | None]:
        """The usable documents' embeddings pulled toward the seed words' (:func:`guide_embeddings`)
        and the seed words' tokens for c-TF-IDF; *emb* and None without ``seed_words``."""
        if not self.seed_words:
            return emb, None
        from voc.themes._guide import guide_embeddings

        seed_texts = [" ".join(words) for words in self.seed_words]
        seed_tokens = self.tokenizer_.tokenize_many(seed_texts)
        emb = np.ascontiguousarray(guide_embeddings(emb, self.embedder_.transform(seed_texts, seed_tokens))[0])
        return emb, sorted({t for toks in seed_tokens for t in toks}) or None

    def _cluster(
        self, reduced: np.ndarray, n_themes: NThemes, tokens: list[Sequence[str]], seed: int, progress: bool
    ) -> np.ndarray:
        """The cluster of each usable document (*reduced*, *tokens*): k chosen in auto mode
        (:meth:`_choose_k`), then :class:`voc.themes.cluster.ConsensusEMClusterer` (``clusterer_``)."""
        from voc.themes.cluster import ConsensusEMClusterer

        self.k_stability_, self.k_kept_, self.k_chosen_ = {}, False, None
        if n_themes == "auto":
            k = self.k_chosen_ = self._choose_k(reduced, seed)
        else:
            k = min(n_themes, len(tokens) - 1)
        self.clusterer_ = ConsensusEMClusterer(
            n_clusters=k, method=self.clustering, n_runs=self.consensus_runs, n_jobs=self.n_jobs,
            random_state=seed,
        )
        return self.clusterer_.fit_predict(reduced, tokens=tokens, progress=progress)

    def _fit_topics(
        self, docs: list[str], emb: np.ndarray, clusters: np.ndarray, umap_model: Any, seed_terms: list[str] | None
    ) -> list[int]:
        """Fit BERTopic (``topic_model_``) on the given *clusters*: its topic of each usable document."""
        from sklearn.feature_extraction.text import CountVectorizer

        BERTopic = import_bertopic()
        from bertopic.vectorizers import ClassTfidfTransformer

        self.topic_model_ = BERTopic(
            umap_model=umap_model,
            hdbscan_model=FixedLabels(clusters),
            vectorizer_model=CountVectorizer(analyzer=split_tokens, min_df=1),
            ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True, seed_words=seed_terms),
            top_n_words=self.top_n_words + 5,  # spares for the parts prefer_compounds folds away
            calculate_probabilities=False,
            # Not "english": BERTopic then strips every non-ASCII character before c-TF-IDF.
            language="japanese",
            verbose=False,
        )
        topics, _ = self.topic_model_.fit_transform(docs, embeddings=emb)
        return topics

    def _keywords(
        self, tokens: list[Sequence[str]], topics: list[int], themes: list[int]
    ) -> dict[int, list[tuple[str, float]]]:
        """Each theme's keywords from BERTopic's c-TF-IDF; a part ranked above the compound it
        mostly occurs in gives way to it (ナビ → サクセスナビ, :func:`voc.label.prefer_compounds`)."""
        from voc.label import prefer_compounds, theme_documents

        members = theme_documents(tokens, topics)
        return {
            int(t): prefer_compounds([(w, float(s)) for w, s in self.topic_model_.get_topic(t) if w], members[int(t)])[
                : self.top_n_words
            ]
            for t in themes
        }

    def transform(
        self,
        texts: Sequence[str],
        *,
        tokens: Sequence[Sequence[str]] | None = None,
        embeddings: np.ndarray | None = None,
    ) -> np.ndarray:
        """Theme of each new document (``-1``: nothing to embed)."""
        self._check_fitted()
        return self._assigner().transform(texts, tokens=tokens, embeddings=embeddings)

    def predict(
        self,
        texts: Sequence[str],
        *,
        tokens: Sequence[Sequence[str]] | None = None,
        embeddings: np.ndarray | None = None,
    ) -> np.ndarray:
        """Theme of each new document (``-1``: nothing to embed), as scikit-learn's ``predict``
        (:meth:`transform` is its older name, kept)."""
        return self.transform(texts, tokens=tokens, embeddings=embeddings)

    def _assigner(self) -> Assigner:
        """What :meth:`transform` needs and nothing else: no BERTopic object, so a Dask worker that
        receives it (:func:`voc.distributed.transform_dask`) never imports BERTopic."""
        return Assigner(self.tokenizer_, self.embedder_, self.topic_model_.umap_model, self.clusterer_,
                         self.cluster_topics_)

    # -- what the model says -------------------------------------------------------------------
    def theme_info(self, *, n_quotes: int = 5, n_keywords: int = 8) -> Any:
        """The themes as a DataFrame, largest first: ``theme_id``, ``label``, ``size``, ``share``,
        ``keywords`` (list, as the texts spell them: タダ, not UniDic's 只) and ``quotes`` (list,
        the most representative first), over the documents passed to :meth:`fit`.

        The same table the report, the editor and the notebook display show
        (:func:`voc.label.theme_table`).
        """
        from voc.themes._info import theme_info

        return theme_info(self, n_quotes=n_quotes, n_keywords=n_keywords)

    def document_info(self, texts: Sequence[str] | None = None) -> Any:
        """Per text: ``text``, ``theme_id``, ``label`` and ``distance`` (cosine distance to its
        theme's centre). Without *texts*, the fitted documents; otherwise new texts, assigned."""
        from voc.themes._info import document_info

        return document_info(self, texts)

    # -- Jupyter display (voc.themes._display renders it) ---------------------------------------------------
    def _repr_html_(self) -> str:
        from voc.themes._display import model_html

        return model_html(self)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, str]:
        # scikit-learn's estimator diagram would otherwise win over _repr_html_ in Jupyter.
        return {"text/plain": repr(self), "text/html": self._repr_html_()}

    # -- persistence -----------------------------------------------------------------------------
    def save(self, path: str | Path) -> None:
        """Pickle the fitted model (the tokenizer drops its MeCab tagger and recreates it on use)."""
        self._check_fitted()
        with open(path, "wb") as fh:
            pickle.dump(self, fh, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def load(cls, path: str | Path) -> ThemeModel:
        """Load a model written by :meth:`save`. Only load files you trust (pickle)."""
        import_bertopic()  # unpickling imports BERTopic; do it the fast way first
        with open(path, "rb") as fh:
            model = pickle.load(fh)
        if not isinstance(model, cls):
            raise TypeError(f"{path} holds a {type(model).__name__}, not a ThemeModel")
        if hasattr(model, "topic_model_") and not hasattr(model, "clusterer_"):
            raise InputError(
                "this model was saved by an older voc (before voc.cluster) and cannot assign new texts",
                path=str(path),
                hint="fit it again with this version and save it again",
            )
        return model
