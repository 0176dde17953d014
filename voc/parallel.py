"""Tokenize many texts in worker processes, in input order.

MeCab releases nothing to Python threads worth having, so the speed-up comes from processes: the
texts are cut into chunks, each worker tokenizes whole chunks with its own copy of the tokenizer
(which drops its MeCab tagger when pickled and builds a new one on first use), and the chunks come
back in order, so the result is exactly ``[tokenizer(t) for t in texts]`` whatever ``n_jobs`` is.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from typing import Any

__all__ = [
    "tokenize_parallel", "tokenize_all", "distinct_documents", "clean_parallel", "resolve_n_jobs", "single_threaded_map", "forked_map",
    "worker_pool", "warm_workers",
    "MIN_TEXTS_PER_JOB",
]

log = logging.getLogger(__name__)

#: Below this many texts per worker, starting processes costs more than it saves.
MIN_TEXTS_PER_JOB = 2_000

_WORKER_TOKENIZER: Callable[[str], list[str]] | None = None  # the tokenizer of a worker process


def resolve_n_jobs(n_jobs: int | None) -> int:
    """``None``/``1`` → 1; ``-1`` → all usable cores; ``-2`` → all but one (joblib's convention)."""
    if n_jobs is None or n_jobs == 0:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        cores = os.cpu_count() or 1
    if n_jobs < 0:
        return max(1, cores + 1 + n_jobs)
    return int(n_jobs)


def single_threaded_map(fn: Callable[[Any], Any], items: Sequence[Any], n_jobs: int | None) -> Iterator[Any]:
    """``fn`` over *items* in up to *n_jobs* threads, each call with one OpenMP and one BLAS thread;
    results in the order of *items*.

    For many small k-means fits (the theme fit's consensus and stability runs): their k-means++
    seeding is mostly single-threaded, so several one-thread fits at once use the cores better than
    one multi-threaded fit after another (docs/performance.md), and a call's result does not
    depend on *n_jobs* or the core count. OpenMP limits are per thread, so each call sets its own;
    the BLAS limit is global and set once around the pool.
    """
    from concurrent.futures import ThreadPoolExecutor

    from threadpoolctl import threadpool_limits

    def one(item: Any) -> Any:
        with threadpool_limits(limits=1, user_api="openmp"):
            return fn(item)

    workers = max(1, min(resolve_n_jobs(n_jobs), len(items)))
    with threadpool_limits(limits=1), ThreadPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(one, items)


#: The worker pool of the block of :func:`worker_pool` now running (``None``: none), and its size.
_POOL: Any = None
_POOL_JOBS = 0

#: What :func:`worker_pool`'s workers import as they start, before their first task (the sub-theme
#: splits, the naming parse and what they import).
_PRELOAD = ("sklearn.cluster", "voc.themes.cluster", "voc.subthemes._split", "voc.naming._phrases", "voc._tagger")


def _preload(_: Any = None) -> None:
    import importlib

    for name in _PRELOAD:
        importlib.import_module(name)


def warm_workers() -> None:
    """Have each worker of the running :func:`worker_pool` import what its tasks need
    (:data:`_PRELOAD`, about a second), and return at once. A report calls it as it starts its
    embed stage, where it works on one core; when the workers are forked, the clean stage's own
    workers have both cores. Each worker takes one of these tasks: a worker still importing cannot
    take the next."""
    if _POOL is not None:
        _POOL.map_async(_preload, range(_POOL_JOBS), chunksize=1)


@contextlib.contextmanager
def worker_pool(n_jobs: int | None) -> Iterator[None]:
    """Fork the worker processes of :func:`forked_map` now, for the calls inside the block.

    A report opens the block after it reads the export and closes it when the analysis is done:
    the workers are forked from a process that holds little, do not map the memory the run grows
    to, and give theirs back before the report is rendered. Forked when the sub-theme stage
    starts, each of two workers mapped the 1.3 GB the report held by then (100,000 call notes),
    and touching the shared Python objects copies their pages. The workers import what their
    tasks need when :func:`warm_workers` asks, while the report goes on. Nothing is forked with
    one job, without the ``fork`` start method, or inside another such block."""
    import multiprocessing as mp

    global _POOL, _POOL_JOBS
    jobs = resolve_n_jobs(n_jobs)
    if jobs <= 1 or _POOL is not None or "fork" not in mp.get_all_start_methods():
        yield
        return
    pool = mp.get_context("fork").Pool(jobs)
    _POOL, _POOL_JOBS = pool, jobs
    try:
        yield
    finally:
        _POOL, _POOL_JOBS = None, 0
        pool.terminate()
        pool.join()


def forked_map(fn: Callable[[Any], Any], items: Iterable[Any], jobs: int) -> list[Any]:
    """``[fn(x) for x in items]`` in worker processes (one item per task, results in the order of
    *items*); here when *jobs* ≤ 1 or the platform cannot fork.

    Inside a :func:`worker_pool` block its workers run the tasks; elsewhere *jobs* workers are
    forked from the caller for this call. *fn* and each item are pickled: pass the data a task
    needs in its item. *items* may be a generator: each item is made when a worker is about to
    take it, so the tasks' data is never all copied at once."""
    import multiprocessing as mp

    n = len(items) if isinstance(items, Sized) else None
    if jobs <= 1 or (n is not None and n <= 1) or "fork" not in mp.get_all_start_methods():
        return [fn(x) for x in items]
    if _POOL is not None:
        return list(_POOL.imap(fn, items, chunksize=1))
    with mp.get_context("fork").Pool(min(int(jobs), n) if n is not None else int(jobs)) as pool:
        return list(pool.imap(fn, items, chunksize=1))


def _init_worker(tokenizer: Callable[[str], list[str]]) -> None:
    global _WORKER_TOKENIZER
    _WORKER_TOKENIZER = tokenizer


def tokenize_all(tokenizer: Callable[[str], list[str]], texts: list[str], *, progress: bool = False) -> list[list[str]]:
    """Tokens of *texts* in this process: the tokenizer's ``tokenize_many`` (batched, see
    :class:`voc.tokenize.Tokenizer`) when it has one, else one call per text."""
    many = getattr(tokenizer, "tokenize_many", None)
    if many is not None:
        return many(texts, progress=progress)
    return [tokenizer(t) for t in _bar(texts, progress, len(texts), "tokenize")]


def _tokenize_chunk(texts: list[str]) -> list[list[str]]:
    tok = _WORKER_TOKENIZER
    assert tok is not None, "worker not initialised"
    return tokenize_all(tok, texts)


def tokenize_parallel(
    tokenizer: Callable[[str], list[str]],
    texts: Sequence[str],
    n_jobs: int | None = -1,
    *,
    chunk_size: int | None = None,
    min_texts_per_job: int = MIN_TEXTS_PER_JOB,
    progress: bool = False,
    start_method: str | None = None,
) -> list[list[str]]:
    """Tokens of every text, computed in up to *n_jobs* processes, in the order of *texts*.

    Parameters
    ----------
    tokenizer : picklable callable ``str -> list[str]``
        Usually :class:`voc.tokenize.Tokenizer`.
    texts : sequence of str
        Cleaned texts.
    n_jobs : int
        Worker processes (``-1``: one per usable core). Fewer are used when there are fewer than
        *min_texts_per_job* texts per worker; with one, everything runs in this process.
    chunk_size : int, optional
        Texts per task (default: about 16 tasks per worker, between 200 and 5,000 texts).
    progress : bool
        Show a tqdm bar (only when stderr is a terminal).
    start_method : {"fork", "spawn", "forkserver"}, optional
        Default: the platform's (fork on Linux).

    Returns
    -------
    list of list of str
        Identical to ``[tokenizer(t) for t in texts]``.
    """
    texts = list(texts)
    jobs = min(resolve_n_jobs(n_jobs), max(1, len(texts) // max(1, min_texts_per_job)))
    if jobs <= 1:
        return tokenize_all(tokenizer, texts, progress=progress)
    import multiprocessing as mp

    global _WORKER_TOKENIZER
    size = chunk_size or max(200, min(5_000, len(texts) // (jobs * 16) + 1))
    chunks = [texts[i : i + size] for i in range(0, len(texts), size)]
    log.info("tokenize: %d texts in %d processes (%d chunks of %d)", len(texts), jobs, len(chunks), size)
    ctx = mp.get_context(start_method)
    out: list[list[str]] = []
    if ctx.get_start_method() == "fork":
        # Forked workers inherit this process' tokenizer as it is: its MeCab tagger, word lists and
        # memo are set up once here (by tokenizing the first text) and shared copy-on-write, instead
        # of being pickled to every worker and rebuilt there.
        tokenizer(texts[0])
        _WORKER_TOKENIZER = tokenizer
        pool_args: dict[str, Any] = {}
    else:
        pool_args = {"initializer": _init_worker, "initargs": (tokenizer,)}
    try:
        with ctx.Pool(jobs, **pool_args) as pool:
            results = pool.imap(_tokenize_chunk, chunks)  # imap keeps the order of the chunks
            for part in _bar(results, progress, len(chunks), "tokenize (chunks)"):
                out.extend(part)
    finally:
        _WORKER_TOKENIZER = None
    return out


def _clean_chunk(args: tuple[Any, Sequence[str], dict[str, Any]]) -> tuple[Any, Any]:
    frame, text_columns, kwargs = args
    if kwargs.pop("tokenize", False):
        kwargs["tokenizer"] = _WORKER_TOKENIZER
    return cleaned(frame, text_columns, kwargs)


def cleaned(frame: Any, text_columns: Sequence[str], kwargs: dict[str, Any]) -> tuple[Any, Any]:
    """:func:`voc.clean.clean` of *frame* with *kwargs*; with ``prepare`` among them (a picklable
    function: a chunk of rows → ``(frame, text_columns)`` to clean), that first, in the same
    process: the statements of a chunk of rows are cut and cleaned in one pass
    (:func:`voc.units.clean_statements`)."""
    from voc.clean import clean

    prepare = kwargs.pop("prepare", None)
    if prepare is not None:
        frame, text_columns = prepare(frame)
    return clean(frame, text_columns, **kwargs)


def clean_parallel(
    frame: Any,
    text_columns: Sequence[str],
    n_jobs: int | None = -1,
    *,
    min_rows_per_job: int = MIN_TEXTS_PER_JOB,
    progress: bool = False,
    start_method: str | None = None,
    **kwargs: Any,
) -> tuple[Any, Any]:
    """:func:`voc.clean.clean` over row chunks in worker processes; the same result, in order.

    ``clean`` is row by row (normalization, non-answers, PII masking with a MeCab pass for names),
    so chunks of rows can be cleaned apart and concatenated. Needs and adds the columns
    :func:`voc.clean.clean` needs and adds; *kwargs* go to it. With ``tokenizer=`` (a
    :class:`voc.tokenize.Tokenizer`) the workers also add ``tokens``, from the parse name masking
    reads; forked workers share the tokenizer set up here, as in :func:`tokenize_parallel`. With
    ``prepare=`` each chunk goes through it first (:func:`cleaned`).
    """
    jobs = min(resolve_n_jobs(n_jobs), max(1, len(frame) // max(1, min_rows_per_job)))
    if jobs <= 1:
        return cleaned(frame, text_columns, kwargs)
    import multiprocessing as mp

    import pandas as pd

    global _WORKER_TOKENIZER
    tokenizer = kwargs.pop("tokenizer", None)
    ctx = mp.get_context(start_method)
    pool_args: dict[str, Any] = {}
    if tokenizer is not None:
        kwargs["tokenize"] = True
        if ctx.get_start_method() == "fork":
            tokenizer("")  # set up (MeCab, word lists) once here; the workers inherit it
            _WORKER_TOKENIZER = tokenizer
        else:
            pool_args = {"initializer": _init_worker, "initargs": (tokenizer,)}
    size = max(200, min(20_000, len(frame) // (jobs * 8) + 1))
    chunks = [(frame.iloc[i : i + size], list(text_columns), dict(kwargs)) for i in range(0, len(frame), size)]
    log.info("clean: %d rows in %d processes (%d chunks)", len(frame), jobs, len(chunks))
    kept: list[Any] = []
    rejected: list[Any] = []
    try:
        with ctx.Pool(jobs, **pool_args) as pool:
            for k, r in _bar(pool.imap(_clean_chunk, chunks), progress, len(chunks), "clean (chunks)"):
                kept.append(k)
                rejected.append(r)
    finally:
        _WORKER_TOKENIZER = None
    nonempty = [r for r in rejected if len(r)] or rejected[:1]  # keep the dtypes of an all-empty result
    return pd.concat(kept, ignore_index=True), pd.concat(nonempty, ignore_index=True)


def _bar(it: Any, progress: bool, total: int, desc: str) -> Any:
    if not progress:
        return it
    from tqdm.auto import tqdm

    # disable=None: tqdm stays quiet when stderr is not a terminal (cron jobs, CI logs).
    return tqdm(it, total=total, desc=desc, leave=False, disable=None)


class LocalExecutor:
    """Runs the corpus-wide steps on this machine: cleaning and tokenizing in up to *n_jobs*
    processes, embedding and theme assignment in batches of documents (``float32`` embeddings).

    :class:`voc.distributed.DaskExecutor` has the same methods; :meth:`voc.themes.ThemeModel.fit`
    and :mod:`voc.pipeline` take either. The results do not depend on which, nor on *n_jobs*.
    """

    local = True

    def __init__(self, n_jobs: int | None = -1) -> None:
        self.n_jobs = n_jobs

    def clean(self, frame: Any, text_columns: Sequence[str], *, progress: bool = False, **kwargs: Any) -> tuple[Any, Any]:
        """:func:`clean_parallel`: the cleaned rows (with ``tokens`` when ``tokenizer=`` is given)
        and the rejected ones."""
        return clean_parallel(frame, text_columns, self.n_jobs, progress=progress, **kwargs)

    def tokenize(self, tokenizer: Callable[[str], list[str]], texts: Sequence[str], *, progress: bool = False) -> list[list[str]]:
        """:func:`tokenize_parallel`."""
        return tokenize_parallel(tokenizer, texts, self.n_jobs, progress=progress)

    def embed(self, embedder: Any, texts: Sequence[str], tokens: Sequence[Sequence[str]], *,
              batch_size: int = 50_000, progress: bool = False) -> Any:
        """A fitted embedder's ``transform`` over batches of documents, as one ``float32`` array.
        A document repeated (the same text and tokens) is embedded once: a backend embeds each
        document on its own, and short statements repeat (特に問題なし, 価格が高い)."""
        first, codes = distinct_documents(texts, tokens)
        if len(first) < len(texts):
            return self.embed(embedder, [texts[i] for i in first], [tokens[i] for i in first],
                              batch_size=batch_size, progress=progress)[codes]
        import numpy as np

        out: list[Any] = []
        bar = _counter(len(texts), "embed", progress)
        for i in range(0, len(texts), batch_size):
            out.append(np.asarray(embedder.transform(texts[i : i + batch_size], tokens[i : i + batch_size]), np.float32))
            if bar is not None:
                bar.update(len(out[-1]))
        if bar is not None:
            bar.close()
        return np.concatenate(out) if out else np.zeros((0, 0), np.float32)

    def assign(self, assigner: Any, texts: Sequence[str], tokens: Sequence[Sequence[str]], embeddings: Any,
               indices: Any, *, batch_size: int = 50_000, progress: bool = False) -> Any:
        """The theme of the documents at *indices* (``-1``: nothing to embed), by a fitted model's
        assigner (``ThemeModel._assigner()``), in batches; a repeated document (the same text and
        tokens) once."""
        import numpy as np

        indices = np.asarray(indices, dtype=int)
        first, codes = distinct_documents([texts[j] for j in indices], [tokens[j] for j in indices])
        if len(first) < len(indices):
            return self.assign(assigner, texts, tokens, embeddings, indices[first], batch_size=batch_size,
                               progress=progress)[codes]
        labels = np.full(len(indices), -1, dtype=int)
        bar = _counter(len(indices), "assign", progress)
        for i in range(0, len(indices), batch_size):
            part = indices[i : i + batch_size]
            labels[i : i + len(part)] = assigner.transform(
                [texts[j] for j in part], tokens=[tokens[j] for j in part], embeddings=embeddings[part]
            )
            if bar is not None:
                bar.update(len(part))
        if bar is not None:
            bar.close()
        return labels


def distinct_documents(texts: Sequence[str], tokens: Sequence[Sequence[str]]) -> tuple[Any, Any]:
    """``(first, codes)``: the index of the first of each distinct document (its text and tokens),
    in order of first appearance, and for each document the number of its distinct one, so that
    ``[texts[i] for i in first][codes[j]] == texts[j]``."""
    import numpy as np

    seen: dict[tuple[str, tuple[str, ...]], int] = {}
    codes = np.fromiter((seen.setdefault((t, tuple(k)), len(seen)) for t, k in zip(texts, tokens, strict=True)),
                        dtype=np.int64, count=len(texts))
    first = np.full(len(seen), len(texts), dtype=np.int64)
    np.minimum.at(first, codes, np.arange(len(texts), dtype=np.int64))
    return first, codes


def _counter(total: int, desc: str, progress: bool) -> Any:
    if not progress:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="doc", leave=False, disable=None)  # quiet when not a TTY
