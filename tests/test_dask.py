"""voc.distributed on a 2-worker LocalCluster: the same results as the single-machine path."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

distributed = pytest.importorskip(
    "distributed", reason="dask.distributed is not installed (pip install 'voc[dask]'; make test installs it)"
)


@pytest.fixture(scope="module")
def client():
    # Threads, not processes: no worker process has to import BERTopic (fast). voc.distributed gives
    # every task its own tokenizer copy; the copies share this process' MeCab taggers
    # (voc._tagger.shared_tagger), so the cluster adds ~130 MB here, not the 4.9 GB of one tagger a task.
    # memory_limit=0: in-process workers would otherwise judge the memory of the whole pytest process
    # and pause themselves ("No valid workers found") on a busy machine.
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None, memory_limit=0
    ) as cluster, distributed.Client(cluster) as c:
        c.wait_for_workers(2, timeout=60)
        yield c


@pytest.fixture(scope="module")
def texts() -> list[str]:
    from voc.clean import normalize_text

    path = Path(__file__).resolve().parents[1] / "corpus" / "sample_crm_export.csv"
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))[:600]
    return [normalize_text(r["lost_reason"]) for r in rows if r["lost_reason"]]


def test_tokenize_on_the_cluster_equals_local(client, texts) -> None:
    from voc.distributed import tokenize_dask
    from voc.tokenize import Tokenizer

    tok = Tokenizer()
    assert tokenize_dask(client, tok, texts, partition_size=53) == [tok(t) for t in texts]


def test_clean_on_the_cluster_equals_local(client) -> None:
    import pandas as pd

    from voc.clean import clean
    from voc.distributed import clean_dask

    notes = ["価格が高い", "", "特になし", "担当 山田 090-1234-5678", "ｻﾎﾟｰﾄに不安😀"] * 12
    frame = pd.DataFrame({"row": range(len(notes)), "note": notes})
    got = clean_dask(client, frame, ["note"], partition_size=7)
    want = clean(frame, ["note"])
    pd.testing.assert_frame_equal(got[0], want[0])
    pd.testing.assert_frame_equal(got[1], want[1])


def test_statements_on_the_cluster_equal_local(client) -> None:
    """The statement clean stage (cut, told voice or log and cleaned per chunk of rows in one pass)
    gives the same kept rows, rejected rows and statements on the cluster and on this machine, with
    one process or two; only the tokens come later on the cluster (its executor tokenizes apart)."""
    import pandas as pd

    from voc.distributed import DaskExecutor
    from voc.parallel import LocalExecutor
    from voc.tokenize import Tokenizer
    from voc.units import clean_statements, kind_rules

    path = Path(__file__).resolve().parents[1] / "corpus" / "sample_crm_export.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False).head(4100)  # 2 chunks of ≥ 2,000 rows: 2 processes
    frame.insert(0, "row", range(len(frame)))
    args = {"rules": kind_rules(), "mask": True, "max_text_chars": 2000, "tokenizer": Tokenizer()}
    cols = ["call_note", "lost_reason"]
    one = clean_statements(LocalExecutor(n_jobs=1), frame, cols, **args)
    two = clean_statements(LocalExecutor(n_jobs=2), frame, cols, **args)
    far = clean_statements(DaskExecutor(client, partition_size=997), frame, cols, **args)
    assert len(one[2]) > len(frame) and set(one[2]["kind"]) == {"voice", "log"}
    for got in (two, far):
        pd.testing.assert_frame_equal(got[0], one[0])
        pd.testing.assert_frame_equal(got[1], one[1])
    pd.testing.assert_frame_equal(two[2], one[2])
    pd.testing.assert_frame_equal(far[2].drop(columns="tokens"), one[2].drop(columns="tokens"))


def test_transform_on_the_cluster_equals_local_for_the_same_model(client, texts) -> None:
    from voc.distributed import transform_dask
    from voc.themes import ThemeModel

    model = ThemeModel(n_themes=6, random_state=0).fit(texts[:200])
    local = model.transform(texts)
    sent: list[object] = []
    scatter = client.scatter

    def spy(data, *args, **kwargs):
        sent.extend(data)
        return scatter(data, *args, **kwargs)

    client.scatter = spy
    try:
        remote = transform_dask(client, model, texts, partition_size=61)
    finally:
        client.scatter = scatter
    assert remote.shape == (len(texts),)
    assert len(set(local.tolist()) - {-1}) >= 3
    np.testing.assert_array_equal(remote, local)
    # what the workers receive names no BERTopic class, so unpickling it there imports no BERTopic
    import pickle

    assert not any(isinstance(obj, ThemeModel) for obj in sent)
    assert all(b"bertopic" not in pickle.dumps(obj) for obj in sent)
    assert b"bertopic" in pickle.dumps(model)  # (the check above can fail)


def test_the_dask_executor_equals_the_sampled_single_machine_path(client, texts) -> None:
    from voc.distributed import DaskExecutor
    from voc.themes import ThemeModel
    from voc.tokenize import Tokenizer

    params = {"n_themes": 5, "fit_sample": 150, "random_state": 3, "n_jobs": 1, "batch_size": 10_000}
    tokens = [Tokenizer()(t) for t in texts]
    local = ThemeModel(**params).fit(texts, tokens=tokens)
    executor = DaskExecutor(client)
    remote_tokens = executor.tokenize(Tokenizer(), texts)
    remote = ThemeModel(**params).fit(texts, tokens=remote_tokens, executor=executor)
    assert remote_tokens == tokens
    assert len(remote.sample_) == 150 < len(texts)  # the path this test is meant to take
    np.testing.assert_allclose(remote.embeddings_, local.embeddings_, atol=1e-5)
    np.testing.assert_array_equal(remote.sample_, local.sample_)
    np.testing.assert_array_equal(remote.labels_, local.labels_)


def test_the_dask_executor_uses_the_configured_consensus_runs(client, texts) -> None:
    from voc.distributed import DaskExecutor
    from voc.themes import ThemeModel

    model = ThemeModel(n_themes=4, clustering="consensus", consensus_runs=5, fit_sample=150, n_jobs=1)
    model.fit(texts, executor=DaskExecutor(client))
    assert model.consensus_runs == 5 and model.clusterer_.n_runs == 5


def test_each_call_sends_its_own_copy_of_the_texts(client, texts) -> None:
    """Content-hashed keys let a second fit of the same texts reuse the keys the first fit's futures
    were releasing: the full test suite failed with "lost dependencies" that way. Every call must
    scatter under keys of its own."""
    from voc.distributed import tokenize_dask
    from voc.tokenize import Tokenizer

    first, _ = tokenize_dask(client, Tokenizer(), texts[:50], gather=False)
    second, _ = tokenize_dask(client, Tokenizer(), texts[:50], gather=False)
    assert {f.key for f in first}.isdisjoint({f.key for f in second})


def test_missing_scheduler_is_a_clear_error() -> None:
    from voc.distributed import connect
    from voc.errors import ConfigError

    with pytest.raises(ConfigError, match="tcp://127.0.0.1:9"):
        connect("tcp://127.0.0.1:9", timeout=2)
