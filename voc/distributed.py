"""Optional Dask backend: clean, tokenize, embed and assign themes over partitions on a cluster.

``pip install 'voc[dask]'``, start a cluster (``dask scheduler`` + ``dask worker tcp://HOST:8786`` on
each machine, each with voc installed), then::

    voc report export.csv --text-column call_note --dask tcp://HOST:8786

or ``[scale] dask = "tcp://HOST:8786"`` in the config. What runs where:

* the client reads the export (the file is on the client's disk) and sends row partitions out;
* the workers clean (normalize, non-answers, PII masking) and tokenize each partition; the tokens
  stay on the workers and are also gathered for the fit and the report;
* the client fits the embedder and the theme model on a sample (:mod:`voc.scale`);
* the fitted embedder and model are broadcast and the workers embed and assign their partitions.

The assignments equal those of the single-machine path for the same fitted model
(``tests/test_dask.py``); the report stages after assignment run on the client.
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from voc.errors import ConfigError, DependencyError

if TYPE_CHECKING:
    from voc.config import Config
    from voc.themes import ThemeModel

__all__ = ["connect", "clean_dask", "tokenize_dask", "embed_dask", "transform_dask", "fit_themes_dask"]

log = logging.getLogger(__name__)

#: Documents per partition sent to a worker.
PARTITION_SIZE = 20_000

_CLIENTS: dict[str, Any] = {}  # one client per scheduler address and process


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise DependencyError(
            f"the Dask backend needs dask.distributed ({exc}): pip install 'voc[dask]'"
        ) from exc
    return distributed


def connect(address: str | Any, *, timeout: float = 30) -> Any:
    """A ``distributed.Client`` for a scheduler address (``tcp://host:8786``) or an existing
    cluster / client object."""
    distributed = _import_distributed()
    if isinstance(address, distributed.Client):
        return address
    if not isinstance(address, str):  # a LocalCluster or another cluster object
        return distributed.Client(address)
    cached = _CLIENTS.get(address)
    if cached is not None and cached.status == "running":
        return cached
    try:
        _CLIENTS[address] = distributed.Client(address, timeout=timeout)
        return _CLIENTS[address]
    except (OSError, TimeoutError) as exc:
        raise ConfigError(
            f"could not connect to the Dask scheduler at {address!r} ({exc}); check the address "
            "(e.g. tcp://host:8786) and that `dask scheduler` is running and reachable"
        ) from None


def _fresh(obj: Any) -> Any:
    """A private copy (picklable voc objects drop their MeCab tagger): threads of one worker
    never share a tagger, which is not thread-safe."""
    return pickle.loads(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))


def _partitions(n: int, size: int) -> list[tuple[int, int]]:
    return [(i, min(n, i + size)) for i in range(0, n, size)] or [(0, 0)]


def _clean_part(frame: Any, text_columns: Sequence[str], kwargs: dict[str, Any]) -> tuple[Any, Any]:
    from voc.clean import clean

    return clean(frame, text_columns, **kwargs)


def clean_dask(client: Any, frame: Any, text_columns: Sequence[str], *, partition_size: int = PARTITION_SIZE,
               **kwargs: Any) -> tuple[Any, Any]:
    """:func:`voc.clean.clean` over row partitions on the cluster; the same result, in order."""
    import pandas as pd

    parts = [frame.iloc[i:j] for i, j in _partitions(len(frame), partition_size)]
    futures = client.map(_clean_part, parts, text_columns=list(text_columns), kwargs=kwargs, pure=False)
    results = client.gather(futures)
    rejected = [r for _, r in results if len(r)] or [results[0][1]]
    return pd.concat([k for k, _ in results], ignore_index=True), pd.concat(rejected, ignore_index=True)


def _tokenize_part(tokenizer: Any, texts: list[str]) -> list[list[str]]:
    from voc.parallel import tokenize_all

    return tokenize_all(_fresh(tokenizer), texts)


def tokenize_dask(client: Any, tokenizer: Any, texts: Sequence[str], *, partition_size: int = PARTITION_SIZE,
                  gather: bool = True) -> Any:
    """Tokens of *texts*, tokenized on the workers; with ``gather=False`` the per-partition futures
    (text futures, token futures) are returned for later stages."""
    # hash=False everywhere: content-hashed keys would make a second fit on the same texts in one
    # session reuse keys that the first fit's futures are releasing ("lost dependencies", seen
    # when tests/test_dask.py fitted the same texts twice in a row)
    text_futs = client.scatter([list(texts[i:j]) for i, j in _partitions(len(texts), partition_size)], hash=False)
    [tok_fut] = client.scatter([tokenizer], broadcast=True, hash=False)
    token_futs = client.map(_tokenize_part, [tok_fut] * len(text_futs), text_futs, pure=False)
    if not gather:
        return text_futs, token_futs
    return [t for part in client.gather(token_futs) for t in part]


def _embed_part(embedder: Any, texts: list[str], tokens: list[list[str]]) -> np.ndarray:
    return np.asarray(embedder.transform(texts, tokens), dtype=np.float32)


def embed_dask(client: Any, embedder: Any, text_futs: list[Any], token_futs: list[Any]) -> np.ndarray:
    """A fitted embedder's ``transform`` over the partitions already on the workers."""
    [emb_fut] = client.scatter([embedder], broadcast=True, hash=False)
    futs = client.map(_embed_part, [emb_fut] * len(text_futs), text_futs, token_futs, pure=False)
    return np.concatenate(client.gather(futs))


def _transform_part(assigner: Any, texts: list[str], tokens: list[list[str]]) -> np.ndarray:
    return _fresh(assigner).transform(texts, tokens=tokens)


def transform_dask(client: Any, model: ThemeModel, texts: Sequence[str] | None = None, *,
                   tokens: Sequence[Sequence[str]] | None = None, futures: tuple[list[Any], list[Any]] | None = None,
                   partition_size: int = PARTITION_SIZE) -> np.ndarray:
    """``model.transform`` over partitions on the cluster: the theme of each document, in order.

    Pass *texts* (and optionally their *tokens*), or the ``(text futures, token futures)`` of
    :func:`tokenize_dask` with ``gather=False`` to reuse partitions already on the workers.
    """
    if futures is None:
        if texts is None:
            raise ValueError("pass texts or futures")
        if tokens is None:
            futures = tokenize_dask(client, model.tokenizer_, texts, partition_size=partition_size, gather=False)
        else:
            bounds = _partitions(len(texts), partition_size)
            futures = (client.scatter([list(texts[i:j]) for i, j in bounds], hash=False),
                       client.scatter([[list(t) for t in tokens[i:j]] for i, j in bounds], hash=False))
    text_futs, token_futs = futures
    # the parts transform needs, not the whole model: no BERTopic import on the workers
    model._check_fitted()
    [assigner_fut] = client.scatter([model._assigner()], broadcast=True, hash=False)
    futs = client.map(_transform_part, [assigner_fut] * len(text_futs), text_futs, token_futs, pure=False)
    parts = client.gather(futs)
    return np.concatenate(parts).astype(int) if parts else np.zeros(0, dtype=int)


def fit_themes_dask(
    texts: list[str],
    config: Config,
    *,
    client: Any = None,
    tokenizer: Any = None,
    seed_words: list[list[str]] | None = None,
    timer: Any = None,
    progress: bool = False,
    previous_k: int | None = None,
) -> tuple[ThemeModel, list[list[str]], np.ndarray]:
    """:func:`voc.pipeline.fit_themes` with tokenizing, embedding and assignment on a Dask cluster
    (``config.dask`` or *client*); the fit runs here on a sample of ``config.fit_sample``."""
    from contextlib import nullcontext

    from voc.embed import make_embedder
    from voc.scale import content_strata, stratified_sample
    from voc.themes import ThemeModel
    from voc.tokenize import Tokenizer

    def stage(name: str) -> Any:
        return timer.stage(name) if timer is not None else nullcontext()

    client = connect(client if client is not None else config.dask)
    tokenizer = tokenizer if tokenizer is not None else Tokenizer()
    seed = int(config.seed)
    n = len(texts)
    size = int(config.fit_sample or n)
    with stage("tokenize"):
        text_futs, token_futs = tokenize_dask(client, tokenizer, texts, gather=False)
        tokens = [t for part in client.gather(token_futs) for t in part]
    with stage("embed"):
        first = np.sort(np.random.default_rng(seed).choice(n, size=min(n, size), replace=False))
        embedder = make_embedder(config.embedding, random_state=seed)
        embedder.fit([texts[i] for i in first], [tokens[i] for i in first])
        embeddings = embed_dask(client, embedder, text_futs, token_futs)
    with stage("sample"):
        idx = stratified_sample(n, content_strata(embeddings, seed=seed), size, seed=seed) if size < n else np.arange(n)
    model = ThemeModel.from_config(config, tokenizer=tokenizer, seed_words=seed_words, previous_k=previous_k)
    with stage("themes"):
        model.fit([texts[i] for i in idx], tokens=[tokens[i] for i in idx], embeddings=embeddings[idx],
                  embedder=embedder, progress=progress)
    labels = np.full(n, -1, dtype=int)
    labels[idx] = model.labels_
    if len(idx) < n:
        with stage("assign"):
            assigned = transform_dask(client, model, futures=(text_futs, token_futs))
        rest = np.setdiff1d(np.arange(n), idx, assume_unique=True)
        labels[rest] = assigned[rest]
        model.fit_sample_ = idx
    model.labels_ = labels
    return model, tokens, embeddings
