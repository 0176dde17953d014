"""LSA embeddings: TF-IDF over tokens (optionally plus character n-grams) and TruncatedSVD."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from voc.embed._base import Embedder


def _identity(tokens: Sequence[str]) -> Sequence[str]:
    return tokens


class LSAEmbedder(Embedder):
    """Latent semantic analysis over the pipeline's tokens.

    Parameters
    ----------
    n_components : int
        Dimensions kept by TruncatedSVD (capped by the vocabulary and corpus size).
    char_ngrams : bool
        Also use character 2–3-grams of the text, weighted by *char_weight*.
    char_weight : float
        Weight of the character block relative to the token block (each block is L2-normalized).
    random_state : int or None
        Seed of the SVD.
    """

    def __init__(
        self,
        n_components: int = 100,
        char_ngrams: bool = False,
        char_weight: float = 0.5,
        random_state: int | None = 42,
    ) -> None:
        self.n_components = n_components
        self.char_ngrams = char_ngrams
        self.char_weight = char_weight
        self.random_state = random_state

    def _matrix(self, texts: Sequence[str], tokens: Sequence[Sequence[str]], fit: bool) -> sp.csr_matrix:
        if fit:
            min_df = 2 if len(tokens) >= 200 else 1
            self.token_vectorizer_ = TfidfVectorizer(
                analyzer=_identity, min_df=min_df, sublinear_tf=True, dtype=np.float32
            )
            blocks = [self.token_vectorizer_.fit_transform(tokens)]
            if self.char_ngrams:
                self.char_vectorizer_ = TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(2, 3),
                    min_df=min_df,
                    sublinear_tf=True,
                    max_features=50_000,
                    dtype=np.float32,
                )
                blocks.append(self.char_vectorizer_.fit_transform(texts) * self.char_weight)
        else:
            from voc._counts import tfidf_matrix

            blocks = [tfidf_matrix(tokens, self.token_vectorizer_)]  # = token_vectorizer_.transform(tokens)
            if self.char_ngrams:
                blocks.append(self.char_vectorizer_.transform(texts) * self.char_weight)
        return sp.hstack(blocks, format="csr") if len(blocks) > 1 else blocks[0]

    def fit(self, texts: Sequence[str], tokens: Sequence[Sequence[str]]) -> LSAEmbedder:
        X = self._matrix(texts, tokens, fit=True)
        if X.shape[1] < 2:  # one term (a column of one repeated word): nothing to reduce
            self.svd_ = None
            return self
        k = max(1, min(self.n_components, X.shape[1] - 1, X.shape[0] - 1))
        self.svd_ = TruncatedSVD(n_components=k, random_state=self.random_state)
        self.svd_.fit(X)
        return self

    def transform(self, texts: Sequence[str], tokens: Sequence[Sequence[str]]) -> np.ndarray:
        """The texts' L2-normalized LSA vectors, shape ``(n_texts, svd_.n_components)``; the
        TF-IDF vectors themselves when the vocabulary holds a single term (``svd_`` is None)."""
        X = self._matrix(texts, tokens, fit=False)
        reduced = X.toarray() if self.svd_ is None else self.svd_.transform(X)
        return normalize(reduced).astype(np.float32)
