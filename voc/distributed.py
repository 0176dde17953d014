"""Optional Dask backend: clean, tokenize, embed and assign themes over partitions on a cluster.

``pip install 'voc[dask]'``, start a cluster (``dask scheduler`` + ``dask worker tcp://HOST:8786`` on
each machine, each with voc installed), then::

    voc report export.csv --text-column call_note --dask tcp://HOST:8786

or ``[scale] dask = "tcp://HOST:8786"`` in the config. What runs where:

* the client reads the export (the file is on the client's disk) and sends row partitions out;
* the workers clean (normalize, non-answers, PII masking) and tokenize each partition; the tokens
  stay on the workers and are also gathered for the fit and the report;
* the client fits the embedder and the theme model on a sample (:meth:`voc.themes.ThemeModel.fit`);
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
    from voc.themes import ThemeModel

__all__ = ["DaskExecutor", "connect", "clean_dask", "tokenize_dask", "embed_dask", "transform_dask"]

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
    """A private copy (picklable voc objects drop their MeCab tagger and memo): threads of one
    worker share the process' MeCab tagger (:func:`voc._tagger.shared_tagger`; fugashi's ``parse``
    holds the GIL), not the rest of the object's state."""
    return pickle.loads(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))


def _partitions(n: int, size: int) -> list[tuple[int, int]]:
    return [(i, min(n, i + size)) for i in range(0, n, size)] or [(0, 0)]


def _clean_part(frame: Any, text_columns: Sequence[str], kwargs: dict[str, Any]) -> tuple[Any, Any]:
    from voc.parallel import cleaned

    return cleaned(frame, text_columns, dict(kwargs))


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


class DaskExecutor:
    """Runs the corpus-wide steps on a Dask cluster: :class:`voc.parallel.LocalExecutor`'s methods
    over row partitions on the workers. *client* is a scheduler address (``tcp://host:8786``), a
    ``distributed.Client`` or a cluster object; the connection is made on first use.

    The partitions of the last texts tokenized stay on the workers, so that embedding and
    assigning those texts sends nothing again.
    """

    local = False

    def __init__(self, client: Any, *, partition_size: int = PARTITION_SIZE) -> None:
        self.client = client
        self.partition_size = partition_size
        self._parts: tuple[Any, list[Any], list[Any]] | None = None  # (texts, text futures, token futures)

    def _client(self) -> Any:
        self.client = connect(self.client)
        return self.client

    def clean(self, frame: Any, text_columns: Sequence[str], *, progress: bool = False, **kwargs: Any) -> tuple[Any, Any]:
        """:func:`clean_dask` (the workers do not tokenize here: :meth:`tokenize` does)."""
        kwargs.pop("tokenizer", None)
        return clean_dask(self._client(), frame, text_columns, partition_size=self.partition_size, **kwargs)

    def tokenize(self, tokenizer: Any, texts: Sequence[str], *, progress: bool = False) -> list[list[str]]:
        """:func:`tokenize_dask`; the partitions stay on the workers for :meth:`embed` and :meth:`assign`."""
        client = self._client()
        text_futs, token_futs = tokenize_dask(client, tokenizer, texts, partition_size=self.partition_size, gather=False)
        self._parts = (texts, text_futs, token_futs)
        return [t for part in client.gather(token_futs) for t in part]

    def _futures(self, texts: Sequence[str], tokens: Sequence[Sequence[str]]) -> tuple[list[Any], list[Any]]:
        if self._parts is not None and self._parts[0] is texts:
            return self._parts[1], self._parts[2]
        client = self._client()
        bounds = _partitions(len(texts), self.partition_size)
        return (client.scatter([list(texts[i:j]) for i, j in bounds], hash=False),
                client.scatter([[list(t) for t in tokens[i:j]] for i, j in bounds], hash=False))

    def embed(self, embedder: Any, texts: Sequence[str], tokens: Sequence[Sequence[str]], *,
              batch_size: int = 0, progress: bool = False) -> np.ndarray:
        """:func:`embed_dask` over the texts' partitions."""
        return embed_dask(self._client(), embedder, *self._futures(texts, tokens))

    def assign(self, assigner: Any, texts: Sequence[str], tokens: Sequence[Sequence[str]], embeddings: Any,
               indices: Any, *, batch_size: int = 0, progress: bool = False) -> np.ndarray:
        """The theme of the documents at *indices*: every partition assigned on the workers."""
        client = self._client()
        text_futs, token_futs = self._futures(texts, tokens)
        [assigner_fut] = client.scatter([assigner], broadcast=True, hash=False)
        futs = client.map(_transform_part, [assigner_fut] * len(text_futs), text_futs, token_futs, pure=False)
        parts = client.gather(futs)
        labels = np.concatenate(parts).astype(int) if parts else np.zeros(0, dtype=int)
        return labels[np.asarray(indices, dtype=int)]
