"""voc.parallel: the same tokens, in the same order, with one or two worker processes."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from voc.parallel import resolve_n_jobs, tokenize_parallel
from voc.tokenize import Tokenizer


@pytest.fixture(scope="module")
def texts() -> list[str]:
    from voc.clean import normalize_text

    path = Path(__file__).resolve().parents[1] / "corpus" / "sample_crm_export.csv"
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))[:700]
    out = [normalize_text(r[c]) for r in rows for c in ("lost_reason", "call_note") if r[c]]
    return out + ["", "価格が高い", "ｻﾎﾟｰﾄ体制に不安😀"]


def test_two_workers_give_the_same_tokens_in_order(texts: list[str]) -> None:
    tok = Tokenizer()
    one = tokenize_parallel(tok, texts, n_jobs=1)
    two = tokenize_parallel(tok, texts, n_jobs=2, min_texts_per_job=1, chunk_size=97)
    assert one == [tok(t) for t in texts]
    assert two == one
    assert any(one) and len(two) == len(texts)


def test_spawned_workers_rebuild_the_tagger(texts: list[str]) -> None:
    tok = Tokenizer()
    tok("使い始めた")  # the parent already has a MeCab tagger; it must not be pickled
    sample = texts[:60]
    got = tokenize_parallel(tok, sample, n_jobs=2, min_texts_per_job=1, chunk_size=16, start_method="spawn")
    assert got == [tok(t) for t in sample]


def test_small_inputs_stay_in_process() -> None:
    calls: list[str] = []

    def tok(text: str) -> list[str]:  # calls made in worker processes would not show in `calls`
        calls.append(text)
        return text.split()

    assert tokenize_parallel(tok, ["a b", "c"], n_jobs=2) == [["a", "b"], ["c"]]
    assert calls == ["a b", "c"]


@pytest.mark.parametrize(("n_jobs", "expected"), [(None, 1), (0, 1), (1, 1), (3, 3)])
def test_resolve_n_jobs(n_jobs: int | None, expected: int) -> None:
    assert resolve_n_jobs(n_jobs) == expected


def test_negative_n_jobs_counts_from_the_cores() -> None:
    assert resolve_n_jobs(-1) >= 1
    assert resolve_n_jobs(-1) - resolve_n_jobs(-2) in (0, 1)


def test_clean_in_two_processes_equals_clean() -> None:
    import pandas as pd

    from voc.clean import clean
    from voc.parallel import clean_parallel

    notes = ["価格が高い", "", "特になし", "担当: 山田 090-1234-5678 連絡済み", "ｻﾎﾟｰﾄ体制に不安", "なし", "API連携が必要"] * 40
    frame = pd.DataFrame({"row": range(len(notes)), "note": notes, "reason": ["予算不足", *notes[:-1]]})
    one = clean(frame, ["note", "reason"])
    two = clean_parallel(frame, ["note", "reason"], n_jobs=2, min_rows_per_job=1)
    pd.testing.assert_frame_equal(two[0], one[0])
    pd.testing.assert_frame_equal(two[1], one[1])


def test_single_threaded_map_keeps_order_and_runs_each_call_on_one_thread():
    import threading

    from threadpoolctl import threadpool_info

    from voc.parallel import single_threaded_map

    def call(x):
        omp = [i["num_threads"] for i in threadpool_info() if i["user_api"] in ("openmp", "blas")]
        return x * x, threading.get_ident(), max(omp, default=1)

    for n_jobs in (None, 1, 2, -1):
        out = list(single_threaded_map(call, list(range(20)), n_jobs))
        assert [r[0] for r in out] == [x * x for x in range(20)]
        assert {r[2] for r in out} == {1}  # one OpenMP and one BLAS thread in every call
        assert threading.get_ident() not in {r[1] for r in out}
    assert list(single_threaded_map(call, [], 2)) == []


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_clean_parallel_tokenizes_in_its_workers_like_one_process(start_method):
    # the report's clean stage also tokenizes (voc.clean reuses the parse name masking reads):
    # the workers, forked with the parent's tokenizer or spawned with a pickled one, give the
    # tokens of one process
    import pandas as pd

    from voc.clean import clean
    from voc.parallel import clean_parallel
    from voc.tokenize import Tokenizer

    notes = ["価格が高い", "", "特になし", "担当: 山田様 090-1234-5678 連絡済み", "ｻﾎﾟｰﾄ体制に不安", "API連携が必要"] * 30
    frame = pd.DataFrame({"row": range(len(notes)), "note": notes})
    one = clean(frame, ["note"], tokenizer=Tokenizer())
    two = clean_parallel(frame, ["note"], n_jobs=2, min_rows_per_job=1, tokenizer=Tokenizer(), start_method=start_method)
    pd.testing.assert_frame_equal(two[0], one[0])
    pd.testing.assert_frame_equal(two[1], one[1])
    assert two[0]["tokens"].tolist() == Tokenizer().tokenize_many(one[0]["text"].tolist())
    assert any("［氏名］" in t for t in two[0]["text"])


def test_repeated_documents_are_embedded_and_assigned_once() -> None:
    """LocalExecutor.embed / .assign call the backend once per distinct (text, tokens) and give
    every document the same rows and themes as one call per document."""
    import numpy as np

    from voc.parallel import LocalExecutor, distinct_documents

    texts = ["価格が高い", "連携が弱い", "価格が高い", "価格が高い", "サポート", "連携が弱い"]
    tokens = [["価格", "高い"], ["連携", "弱い"], ["価格", "高い"], ["価格", "別"], ["サポート"], ["連携", "弱い"]]
    first, codes = distinct_documents(texts, tokens)
    assert first.tolist() == [0, 1, 3, 4] and codes.tolist() == [0, 1, 0, 2, 3, 1]

    class Backend:
        def __init__(self) -> None:
            self.seen: list[str] = []

        def transform(self, texts, tokens):
            self.seen += list(texts)
            return np.asarray([[len(t), len(k), sum(map(len, k))] for t, k in zip(texts, tokens, strict=True)], dtype=np.float32)

    backend = Backend()
    out = LocalExecutor(n_jobs=1).embed(backend, texts, tokens, batch_size=2)
    assert len(backend.seen) == 4  # each distinct document once
    np.testing.assert_array_equal(out, Backend().transform(texts, tokens))

    class Assigner:
        calls = 0

        def transform(self, texts, *, tokens, embeddings):
            Assigner.calls += len(texts)
            return np.asarray([int(e[2]) for e in embeddings])

    labels = LocalExecutor(n_jobs=1).assign(Assigner(), texts, tokens, out, [5, 0, 2, 3], batch_size=2)
    assert labels.tolist() == [4, 4, 4, 3] and Assigner.calls == 3


def _pid_and_square(x: int) -> tuple[int, int]:
    import os

    return os.getpid(), x * x


def test_worker_pool_forks_once_and_forked_map_uses_it() -> None:
    """Inside worker_pool, forked_map runs on the workers forked when the block opened (the same
    processes for every call, not forked from the caller later), in order, and a generator of
    items is taken lazily; outside it, forked_map forks for the call."""
    import os

    import voc.parallel as par

    with par.worker_pool(2):
        pool_pids = {p.pid for p in par._POOL._pool}
        first = par.forked_map(_pid_and_square, range(8), 2)
        made: list[int] = []

        def items():
            for i in range(6):
                made.append(i)
                yield i

        second = par.forked_map(_pid_and_square, items(), 2)
        par.warm_workers()
    assert par._POOL is None
    assert [v for _, v in first] == [i * i for i in range(8)] and [v for _, v in second] == [i * i for i in range(6)]
    assert {p for p, _ in first + second} <= pool_pids and os.getpid() not in pool_pids
    assert made == list(range(6))
    outside = par.forked_map(_pid_and_square, [1, 2, 3], 2)
    assert [v for _, v in outside] == [1, 4, 9] and not {p for p, _ in outside} & pool_pids
    with par.worker_pool(1):  # one job: no worker
        assert par._POOL is None and par.forked_map(_pid_and_square, [2], 1) == [(os.getpid(), 4)]
