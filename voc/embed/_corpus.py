"""The embed stage: fit an embedding backend on a corpus (or a sample of it) and embed every text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from voc.embed._base import Embedder
from voc.embed._factory import make_embedder

__all__ = ["embed_corpus"]


def embed_corpus(
    texts: Sequence[str],
    tokens: Sequence[Sequence[str]],
    embedding: str = "lsa+chive",
    *,
    random_state: int = 42,
    embedder: Embedder | None = None,
    fit_sample: int | None = None,
    executor: Any = None,
    batch_size: int = 50_000,
    progress: bool = False,
) -> tuple[Embedder, np.ndarray]:
    """The fitted embedder and the embeddings of every text, shape ``(len(texts), dim)``.

    A new backend *embedding* is fitted on every text, or on a random sample of *fit_sample*
    texts when there are more (seeded by *random_state*); a fitted *embedder* is used as it is.
    Large corpora (above *fit_sample*) and remote executors embed in batches
    (``executor.embed``, ``float32``); otherwise the backend's own ``fit_transform`` runs here.
    """
    n = len(texts)
    size = int(fit_sample or 0)
    batched = 0 < size < n or (executor is not None and not executor.local)
    if not batched:
        if embedder is None:
            embedder = make_embedder(embedding, random_state=random_state)
            return embedder, embedder.fit_transform(texts, tokens)
        return embedder, embedder.transform(texts, tokens)
    if embedder is None:
        first = np.sort(np.random.default_rng(random_state).choice(n, size=min(n, size or n), replace=False))
        embedder = make_embedder(embedding, random_state=random_state)
        embedder.fit([texts[i] for i in first], [tokens[i] for i in first])
    if executor is None:
        from voc.parallel import LocalExecutor

        executor = LocalExecutor(n_jobs=1)
    return embedder, executor.embed(embedder, texts, tokens, batch_size=batch_size, progress=progress)
