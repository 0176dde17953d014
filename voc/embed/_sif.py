"""SIF-weighted static word vectors (Arora et al. 2017), alone or concatenated with LSA.

A document is the average of its tokens' chiVe vectors, each weighted by a / (a + p(token)) with
p the token's frequency in the fitted corpus, minus the projection on the corpus' first principal
component. Tokens without a vector are skipped; compounds missing from chiVe still count through
their parts when the tokenizer keeps both (``compounds="both"``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
from sklearn.preprocessing import normalize

from voc.embed._base import Embedder

__all__ = ["SIFEmbedder", "ConcatEmbedder"]


class SIFEmbedder(Embedder):
    """Smooth-inverse-frequency average of word vectors.

    Parameters
    ----------
    vectors : {"chive"}
        Which static vectors to use (``"chive"``: the 300-d chiVe table of the ``ja-ginza`` wheel).
    a : float
        SIF smoothing: smaller values down-weight frequent tokens more.
    remove_pc : int
        Number of principal components removed (0 or 1).
    random_state : int or None
        Seed of the SVD that finds the principal component.

    Attributes
    ----------
    weights_ : dict[str, float]
        SIF weight of each token seen in ``fit``.
    pc_ : ndarray of shape (remove_pc, dim)
    coverage_ : float
        Share of fitted documents with at least one token that has a vector.
    """

    def __init__(
        self, vectors: str = "chive", a: float = 1e-3, remove_pc: int = 1, random_state: int | None = 42
    ) -> None:
        self.vectors = vectors
        self.a = a
        self.remove_pc = remove_pc
        self.random_state = random_state

    def _table(self):  # noqa: ANN202 - WordVectors, imported lazily
        from voc.embed._vectors import load_chive

        if self.vectors != "chive":
            from voc.errors import ConfigError

            raise ConfigError(f"vectors must be 'chive', got {self.vectors!r}")
        return load_chive()

    def _average(self, tokens: Sequence[Sequence[str]]) -> np.ndarray:
        """Weighted mean vector of each document's tokens that have a vector (zeros: none has).

        One sparse product, (documents × table rows) weights times the table, instead of a loop
        over documents (which took most of the embed stage: 62.6 s for 915,000 call notes). The
        sums come out in another order, so values differ from the loop's in the last float32 bit.
        """
        import scipy.sparse as sp

        from voc._counts import factorize_tokens

        table = self._table()
        default_w = self.a / (self.a + self.min_p_)
        # vectors and weights are looked up once per distinct token, then spread to every occurrence
        doc, codes, vocab = factorize_tokens(tokens)
        row_of = np.asarray(table.rows(vocab.tolist()), dtype=np.int64).reshape(-1)
        weight_of = np.fromiter((self.weights_.get(t, default_w) for t in vocab), dtype=np.float32, count=len(vocab))
        rows, weights = row_of[codes], weight_of[codes]
        has = rows >= 0
        rows, weights, doc = rows[has], weights[has], doc[has]
        counts = np.bincount(doc, minlength=len(tokens)).astype(np.float32)
        weights /= counts[doc]
        W = sp.csr_matrix((weights, (doc, rows)), shape=(len(tokens), len(table.vectors)), dtype=np.float32)
        return np.asarray(W @ table.vectors, dtype=np.float32)

    def fit(self, texts: Sequence[str], tokens: Sequence[Sequence[str]]) -> SIFEmbedder:
        counts = Counter(t for doc in tokens for t in doc)
        total = max(1, sum(counts.values()))
        self.min_p_ = 1.0 / total
        self.weights_ = {t: self.a / (self.a + c / total) for t, c in counts.items()}
        X = self._average(tokens)
        self.coverage_ = float(np.mean(np.abs(X).sum(axis=1) > 0)) if len(X) else 0.0
        if self.remove_pc and len(X) > 1:
            from sklearn.decomposition import TruncatedSVD

            svd = TruncatedSVD(n_components=int(self.remove_pc), random_state=self.random_state).fit(X)
            self.pc_ = svd.components_.astype(np.float32)
        else:
            self.pc_ = np.zeros((0, X.shape[1]), dtype=np.float32)
        return self

    def transform(self, texts: Sequence[str], tokens: Sequence[Sequence[str]]) -> np.ndarray:
        X = self._average(tokens)
        empty = np.abs(X).sum(axis=1) == 0
        if len(self.pc_):
            X = X - (X @ self.pc_.T) @ self.pc_
        X[empty] = 0.0
        return normalize(X).astype(np.float32)


class ConcatEmbedder(Embedder):
    """Concatenation of several backends' (L2-normalized) embeddings, each scaled by a weight.

    Parameters
    ----------
    embedders : list of Embedder
    weights : list of float
        One per embedder; the result is L2-normalized again.
    """

    def __init__(self, embedders: list[Embedder], weights: list[float]) -> None:
        self.embedders = embedders
        self.weights = weights

    def fit(self, texts: Sequence[str], tokens: Sequence[Sequence[str]]) -> ConcatEmbedder:
        from sklearn.base import clone

        if len(self.embedders) != len(self.weights):
            raise ValueError("one weight per embedder")
        self.embedders_ = [clone(e).fit(texts, tokens) for e in self.embedders]
        return self

    def fit_transform(self, texts: Sequence[str], tokens: Sequence[Sequence[str]]) -> np.ndarray:
        from sklearn.base import clone

        if len(self.embedders) != len(self.weights):
            raise ValueError("one weight per embedder")
        self.embedders_ = [clone(e) for e in self.embedders]
        blocks = [w * e.fit_transform(texts, tokens) for e, w in zip(self.embedders_, self.weights, strict=True)]
        return normalize(np.hstack(blocks)).astype(np.float32)

    def transform(self, texts: Sequence[str], tokens: Sequence[Sequence[str]]) -> np.ndarray:
        blocks = [w * e.transform(texts, tokens) for e, w in zip(self.embedders_, self.weights, strict=True)]
        return normalize(np.hstack(blocks)).astype(np.float32)
