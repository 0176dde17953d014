"""The embedding backend interface (after BERTopic's ``backend/_base.py``)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator

__all__ = ["Embedder"]


class Embedder(BaseEstimator, ABC):
    """Turns documents into dense, L2-normalized ``float32`` vectors.

    A backend sees both the cleaned texts and their tokens (tokenized once by the pipeline), so
    token-based backends never re-tokenize and text-based ones (character n-grams, neural models)
    can use the raw text. Implementations follow scikit-learn: parameters in ``__init__``, fitted
    state in attributes ending with ``_``.
    """

    @abstractmethod
    def fit(self, texts: Sequence[str], tokens: Sequence[Sequence[str]]) -> Embedder:
        """Learn what the backend needs from a corpus; returns ``self``."""

    @abstractmethod
    def transform(self, texts: Sequence[str], tokens: Sequence[Sequence[str]]) -> np.ndarray:
        """Embeddings of shape ``(n_documents, dim)``, ``float32``, rows of norm 1 (or 0 when a
        document has nothing to embed)."""

    def fit_transform(self, texts: Sequence[str], tokens: Sequence[Sequence[str]]) -> np.ndarray:
        return self.fit(texts, tokens).transform(texts, tokens)
