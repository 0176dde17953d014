"""The embedding backend interface (after BERTopic's ``backend/_base.py``)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Sequence

import numpy as np
from sklearn.base import BaseEstimator

from voc.errors import ConfigError

__all__ = ["Embedder", "available_embedders", "make_embedder"]


class Embedder(BaseEstimator, ABC):
    """Turns documents into dense, L2-normalized ``float32`` vectors.

    A backend sees both the cleaned texts and their tokens (tokenized once by the pipeline), so
    token-based backends never re-tokenize and text-based ones (character n-grams, neural models)
    can use the raw text. Implementations follow scikit-learn: parameters in ``__init__``, fitted
    state in attributes ending with ``_``.
    """

    @abstractmethod
    def fit(self, texts: Sequence[str], tokens: Sequence[Sequence[str]]) -> "Embedder":
        """Learn what the backend needs from a corpus; returns ``self``."""

    @abstractmethod
    def transform(self, texts: Sequence[str], tokens: Sequence[Sequence[str]]) -> np.ndarray:
        """Embeddings of shape ``(n_documents, dim)``, ``float32``, rows of norm 1 (or 0 when a
        document has nothing to embed)."""

    def fit_transform(self, texts: Sequence[str], tokens: Sequence[Sequence[str]]) -> np.ndarray:
        return self.fit(texts, tokens).transform(texts, tokens)


def available_embedders() -> list[str]:
    """Names accepted by :func:`make_embedder`."""
    return ["lsa", "lsa-char"]


def make_embedder(name: str, random_state: int | None = 42) -> Embedder:
    """Build a backend by name.

    ``"lsa"``: TF-IDF over the tokens reduced with TruncatedSVD. ``"lsa-char"``: the same over
    tokens plus character 2–3-grams of the text (robust to typos and spelling variants).
    """
    from voc.embed._lsa import LSAEmbedder

    if name == "lsa":
        return LSAEmbedder(char_ngrams=False, random_state=random_state)
    if name == "lsa-char":
        return LSAEmbedder(char_ngrams=True, random_state=random_state)
    raise ConfigError(f"embedding must be one of {available_embedders()}, got {name!r}")
