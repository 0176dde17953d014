"""The fitted parts behind :class:`~voc.themes.ThemeModel`: BERTopic's slots filled with what voc
computed, and the assigner that places new documents (sent to Dask workers without BERTopic)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


def split_tokens(doc: str) -> list[str]:
    """Analyzer for BERTopic's CountVectorizer: documents reach it as space-joined tokens."""
    return doc.split(" ")


class Identity:
    """No reduction: cluster the (L2-normalized) embeddings as they are."""

    def fit(self, X: Any, y: Any = None) -> Identity:
        return self

    def fit_transform(self, X: Any, y: Any = None) -> Any:
        return X

    def transform(self, X: Any) -> Any:
        return X


class FixedLabels:
    """BERTopic's "hdbscan_model" slot filled with the labels :mod:`voc.themes.cluster` computed (BERTopic
    only reads ``labels_`` when fitting; :meth:`ThemeModel.transform` predicts with the clusterer)."""

    def __init__(self, labels: np.ndarray) -> None:
        self.labels_ = np.asarray(labels, dtype=int)

    def fit(self, X: Any, y: Any = None) -> FixedLabels:
        if len(X) != len(self.labels_):
            raise ValueError(f"fixed labels for {len(self.labels_)} documents, got {len(X)}")
        return self


class Precomputed:
    """A UMAP stand-in for BERTopic's fit: returns the reduction voc computed (and timed) itself
    instead of computing UMAP twice; replaced by the real UMAP model once BERTopic is fitted."""

    def __init__(self, model: Any, reduced: np.ndarray) -> None:
        self.model = model
        self.reduced = reduced

    def fit(self, X: Any, y: Any = None) -> Precomputed:
        return self

    def transform(self, X: Any) -> np.ndarray:
        if X.shape[0] == self.reduced.shape[0]:
            return self.reduced
        return self.model.transform(X)


class Assigner:
    """The fitted parts of a :class:`ThemeModel` that assign new documents to its themes."""

    def __init__(self, tokenizer: Any, embedder: Any, reducer: Any, clusterer: Any, cluster_topics: np.ndarray) -> None:
        self.tokenizer = tokenizer
        self.embedder = embedder
        self.reducer = reducer
        self.clusterer = clusterer
        self.cluster_topics = cluster_topics

    def transform(
        self,
        texts: Sequence[str],
        *,
        tokens: Sequence[Sequence[str]] | None = None,
        embeddings: np.ndarray | None = None,
    ) -> np.ndarray:
        """Theme of each document (``-1``: nothing to embed), as :meth:`ThemeModel.transform`."""
        texts = list(texts)
        if tokens is None:
            tokens = self.tokenizer.tokenize_many(texts)
        if embeddings is None:
            embeddings = self.embedder.transform(texts, tokens)
        usable = np.flatnonzero(np.linalg.norm(embeddings, axis=1) > 0)
        labels = np.full(len(texts), -1, dtype=int)
        if len(usable):
            reduced = self.reducer.transform(np.ascontiguousarray(embeddings[usable]))
            clusters = self.clusterer.predict(reduced, tokens=[tokens[i] for i in usable])
            labels[usable] = self.cluster_topics[clusters]
        return labels
