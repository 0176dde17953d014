"""Large corpora: fit themes on a stratified sample, assign every document in batches.

Fitting (the SVD of the embedder, the choice of k, k-means, c-TF-IDF) grows faster than linearly
with the corpus, while assigning a document to a fitted theme costs the same for the millionth
document as for the first. Above ``fit_sample`` documents :func:`fit_themes_on_sample`:

1. fits the embedder on a sample and embeds every document in batches (``float32``);
2. stratifies the documents by a cheap pre-clustering of their embeddings (mini-batch k-means,
   64 strata) unless *strata* are given, and draws the sample proportionally from each stratum
   with a floor, so that a small theme is not lost by chance;
3. fits the :class:`~voc.themes.ThemeModel` on the sample;
4. assigns the other documents with ``ThemeModel.transform`` in batches.

The result is the same three things :func:`voc.pipeline.fit_themes` returns. The model's
``labels_`` hold the themes of *all* documents (the sample's from the fit, the others from
``transform``) and ``fit_sample_`` the indices of the sampled documents.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from voc.config import Config
    from voc.themes import ThemeModel

__all__ = ["stratified_sample", "embed_batched", "transform_batched", "fit_themes_on_sample", "DEFAULT_FIT_SAMPLE"]

log = logging.getLogger(__name__)

#: Default sample size for the theme fit (``[scale] fit_sample``); see docs/performance.md.
DEFAULT_FIT_SAMPLE = 10_000
#: Documents per batch for embedding and ``transform``.
DEFAULT_BATCH_SIZE = 50_000


def stratified_sample(
    n_samples: int, strata: Sequence[Any] | np.ndarray, size: int, *, min_per_stratum: int = 20, seed: int = 42
) -> np.ndarray:
    """Sorted indices of a sample of *size* of ``range(n_samples)``, proportional to *strata*.

    Every stratum gets ``max(min_per_stratum, its proportional share)`` documents (all of them if
    it is smaller); the floors are paid for by the largest strata, so the total is *size*.
    """
    strata = np.asarray(strata)
    if len(strata) != n_samples:
        raise ValueError(f"{len(strata)} strata for {n_samples} documents")
    if size >= n_samples:
        return np.arange(n_samples)
    rng = np.random.default_rng(seed)
    values, inverse, counts = np.unique(strata, return_inverse=True, return_counts=True)
    min_per_stratum = min(min_per_stratum, size // len(values))  # the floors alone never exceed size
    want = np.minimum(counts, np.maximum(min_per_stratum, np.floor(counts * size / n_samples))).astype(int)
    excess = int(want.sum()) - size
    order = np.argsort(-counts, kind="stable")
    while excess != 0:  # trim from (or add to) the largest strata, one at a time, until the total is size
        for j in order:
            if excess > 0 and want[j] > min(min_per_stratum, counts[j]):
                want[j] -= 1
                excess -= 1
            elif excess < 0 and want[j] < counts[j]:
                want[j] += 1
                excess += 1
            if excess == 0:
                break
    picks = [rng.choice(np.flatnonzero(inverse == j), size=want[j], replace=False) for j in range(len(values))]
    return np.sort(np.concatenate(picks))


def _bar(total: int, desc: str, progress: bool) -> Any:
    if not progress:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="doc", leave=False, disable=None)  # quiet when not a TTY


def embed_batched(
    embedder: Any, texts: Sequence[str], tokens: Sequence[Sequence[str]], *, batch_size: int = DEFAULT_BATCH_SIZE,
    progress: bool = False,
) -> np.ndarray:
    """``embedder.transform`` over batches of documents, as one ``float32`` array."""
    out: list[np.ndarray] = []
    bar = _bar(len(texts), "embed", progress)
    for i in range(0, len(texts), batch_size):
        out.append(np.asarray(embedder.transform(texts[i : i + batch_size], tokens[i : i + batch_size]), np.float32))
        if bar is not None:
            bar.update(len(out[-1]))
    if bar is not None:
        bar.close()
    return np.concatenate(out) if out else np.zeros((0, 0), np.float32)


def transform_batched(
    model: ThemeModel, texts: Sequence[str], tokens: Sequence[Sequence[str]], embeddings: np.ndarray, *,
    batch_size: int = DEFAULT_BATCH_SIZE, progress: bool = False,
) -> np.ndarray:
    """``model.transform`` over batches of documents (``-1``: nothing to embed)."""
    labels = np.full(len(texts), -1, dtype=int)
    bar = _bar(len(texts), "assign", progress)
    for i in range(0, len(texts), batch_size):
        j = min(len(texts), i + batch_size)
        labels[i:j] = model.transform(list(texts[i:j]), tokens=tokens[i:j], embeddings=embeddings[i:j])
        if bar is not None:
            bar.update(j - i)
    if bar is not None:
        bar.close()
    return labels


def content_strata(embeddings: np.ndarray, *, n_strata: int = 64, seed: int = 42) -> np.ndarray:
    """Strata from a mini-batch k-means of the embeddings (``-1`` for empty documents)."""
    from sklearn.cluster import MiniBatchKMeans

    strata = np.full(len(embeddings), -1, dtype=int)
    usable = np.flatnonzero(np.linalg.norm(embeddings, axis=1) > 0)
    if len(usable) > n_strata:
        km = MiniBatchKMeans(n_clusters=n_strata, batch_size=4096, n_init=1, random_state=seed)
        strata[usable] = km.fit_predict(embeddings[usable])
    return strata


def fit_themes_on_sample(
    texts: list[str],
    tokens: list[list[str]],
    config: Config,
    *,
    tokenizer: Any = None,
    strata: Sequence[Any] | None = None,
    seed_words: list[list[str]] | None = None,
    timer: Any = None,
    progress: bool = False,
    previous_k: int | None = None,
) -> tuple[ThemeModel, list[list[str]], np.ndarray]:
    """Fit themes on a stratified sample of ``config.fit_sample`` documents and assign them all.

    Parameters
    ----------
    texts, tokens : cleaned texts and their tokens (tokenized once, by the caller).
    config : uses ``fit_sample``, ``batch_size``, ``embedding``, ``clustering``, ``consensus_runs``,
        ``n_themes``, ``reduction``, ``seed``.
    strata : optional label per document (e.g. outcome × month); default: :func:`content_strata`.
    timer : the pipeline's stage timer (stages ``embed``, ``sample``, ``themes``, ``assign``).

    Returns
    -------
    model, tokens, embeddings
        As :func:`voc.pipeline.fit_themes`; ``model.labels_`` has one theme per document of *texts*.
    """
    from contextlib import nullcontext

    from voc.embed import make_embedder
    from voc.themes import ThemeModel

    def stage(name: str) -> Any:
        return timer.stage(name) if timer is not None else nullcontext()

    size = int(config.fit_sample)
    batch = int(getattr(config, "batch_size", DEFAULT_BATCH_SIZE) or DEFAULT_BATCH_SIZE)
    seed = int(config.seed)
    n = len(texts)
    with stage("embed"):
        rng = np.random.default_rng(seed)
        first = np.sort(rng.choice(n, size=min(n, size), replace=False))
        embedder = make_embedder(config.embedding, random_state=seed)
        embedder.fit([texts[i] for i in first], [tokens[i] for i in first])
        embeddings = embed_batched(embedder, texts, tokens, batch_size=batch, progress=progress)
    with stage("sample"):
        groups = np.asarray(strata) if strata is not None else content_strata(embeddings, seed=seed)
        idx = stratified_sample(n, groups, size, seed=seed)
    log.info("themes: fitting on a stratified sample of %d of %d documents", len(idx), n)
    model = ThemeModel.from_config(config, tokenizer=tokenizer, seed_words=seed_words, previous_k=previous_k)
    with stage("themes"):
        model.fit(
            [texts[i] for i in idx], tokens=[tokens[i] for i in idx], embeddings=embeddings[idx], embedder=embedder,
            progress=progress,
        )
    with stage("assign"):
        rest = np.setdiff1d(np.arange(n), idx, assume_unique=True)
        labels = np.full(n, -1, dtype=int)
        labels[idx] = model.labels_
        labels[rest] = transform_batched(
            model, [texts[i] for i in rest], [tokens[i] for i in rest], embeddings[rest],
            batch_size=batch, progress=progress,
        )
    model.fit_sample_ = idx
    model.labels_ = labels
    return model, tokens, embeddings
