"""Guided themes: seed words (the taxonomy's, BERTopic's ``seed_topic_list``) pull documents together."""

from __future__ import annotations

from typing import Any

__all__ = ["guide_embeddings"]


def guide_embeddings(embeddings: Any, seed_embeddings: Any) -> tuple[Any, Any]:
    """BERTopic's guided topic modelling step, on voc's own embeddings.

    Each document is compared (cosine) with every seed topic's embedding and with the corpus mean;
    documents nearest to a seed topic are moved a quarter of the way towards it (weights 3:1, as
    ``BERTopic._guided_topic_modeling``), which pulls them into one cluster. Returns the new
    embeddings (a copy) and the seed topic of each document (``-1`` = none).

    Parameters
    ----------
    embeddings : array of shape (n_documents, dim)
    seed_embeddings : array of shape (n_seed_topics, dim), the embedding of each seed word list
    """
    import numpy as np

    emb = np.array(embeddings, dtype=float, copy=True)
    seeds = np.asarray(seed_embeddings, dtype=float)
    anchors = np.vstack([seeds, emb.mean(axis=0, keepdims=True)])

    def _unit(m: Any) -> Any:
        n = np.linalg.norm(m, axis=1, keepdims=True)
        return m / np.where(n > 0, n, 1.0)

    nearest = np.argmax(_unit(emb) @ _unit(anchors).T, axis=1)
    nearest[nearest == len(seeds)] = -1
    for s in range(len(seeds)):
        idx = nearest == s
        if idx.any() and np.linalg.norm(seeds[s]) > 0:
            emb[idx] = (3 * emb[idx] + seeds[s]) / 4
    return emb, nearest
