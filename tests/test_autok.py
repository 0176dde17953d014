"""Auto mode's number of themes (voc.themes._autok), and keeping the previous run's k in scheduled runs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pytest

from voc.errors import ConfigError
from voc.themes._autok import choose_k, k_window


@pytest.fixture(scope="module")
def blobs():
    """600 points in five well-separated groups (window 4..12 themes)."""
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(5, 10)) * 6
    X = np.vstack([c + rng.normal(size=(120, 10)) for c in centres]).astype(np.float32)
    assert k_window(len(X)) == (4, 12)
    return X


def test_the_most_stable_k_wins(blobs):
    k, stability, kept = choose_k(blobs, 0, n_jobs=1)
    assert k == 5 == max(stability, key=stability.get) and not kept
    assert sorted(stability) == [4, 5, 6, 8, 10, 12]


def test_previous_k_is_kept_within_the_margin_and_replaced_beyond_it(blobs):
    _, alone, _ = choose_k(blobs, 0, n_jobs=1)
    k, stability, kept = choose_k(blobs, 0, n_jobs=1, previous_k=7, k_margin=1.0)
    assert (k, kept) == (7, True)
    # the previous k joins the candidates without changing the others' scores
    assert {c: s for c, s in stability.items() if c != 7} == alone and 7 in stability
    gap = stability[5] - stability[7]
    assert gap > 0.05  # five groups: seven is clearly less stable
    assert choose_k(blobs, 0, n_jobs=1, previous_k=7, k_margin=gap - 0.01)[::2] == (5, False)
    assert choose_k(blobs, 0, n_jobs=1, previous_k=7, k_margin=gap + 0.01)[::2] == (7, True)
    # a previous k that is the most stable is simply chosen (not "kept" over a better one)
    assert choose_k(blobs, 0, n_jobs=1, previous_k=5, k_margin=0.0)[::2] == (5, False)


def test_previous_k_outside_the_window_is_ignored(blobs):
    k, stability, kept = choose_k(blobs, 0, n_jobs=1, previous_k=30, k_margin=1.0)
    assert (k, kept) == (5, False) and 30 not in stability


@pytest.mark.parametrize(("previous_k", "margin", "message"), [
    (1, 0.1, "previous_k must be an integer ≥ 2"),
    (7.5, 0.1, "previous_k must be an integer ≥ 2"),
    (True, 0.1, "previous_k must be an integer ≥ 2"),
    (7, -0.1, "k_margin must be a number ≥ 0"),
    (7, float("nan"), "k_margin must be a number ≥ 0"),
    (None, "0.1", "k_margin must be a number ≥ 0"),
])
def test_bad_previous_k_or_margin_is_a_config_error(blobs, previous_k, margin, message):
    with pytest.raises(ConfigError, match=message):
        choose_k(blobs, 0, n_jobs=1, previous_k=previous_k, k_margin=margin)


def test_config_file_checks_the_margin(tmp_path):
    from voc.config import load_config

    path = tmp_path / "voc.toml"
    path.write_text("[model]\nauto_k_margin = -1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[model\] auto_k_margin must be a number ≥ 0"):
        load_config(path)
    path.write_text("[model]\nauto_k_margin = 0.25\n", encoding="utf-8")
    assert load_config(path).model.auto_k_margin == 0.25


def test_previous_auto_k_reads_the_history(sample_report):
    """The sample report (auto mode) recorded its k; the next run of the same config reads it back,
    and neither a given number of themes nor a disabled history looks at it."""
    from voc.config import load_config
    from voc.history import history_path, previous_auto_k

    from .conftest import SAMPLE_CONFIG

    config = load_config(SAMPLE_CONFIG).override({"output.dir": str(sample_report.out_dir)})
    history = history_path(config.history.path, config.output.dir)
    run = json.loads((Path(sample_report.out_dir) / "run.json").read_text(encoding="utf-8"))
    assert run["themes"]["auto_k"]["previous"] is None  # the first run of its history
    assert previous_auto_k(history, config.input.text_columns) == run["themes"]["auto_k"]["chosen"]
    assert previous_auto_k(None, config.input.text_columns) is None  # no history
    assert previous_auto_k(history, ["call_note"]) is None  # not comparable
    assert history.is_file()


def test_a_scheduled_run_keeps_the_previous_k(sample_report, tmp_path):
    """A second run whose history says the last run chose k (in the window, less stable than the
    winner) keeps k when the margin allows it, and records that in run.json and the history."""
    from voc.config import load_config
    from voc.history import history_path
    from voc.history.store import RunStore
    from voc.pipeline import run_report

    from .conftest import SAMPLE_CONFIG

    base = load_config(SAMPLE_CONFIG).override({"output.dir": str(sample_report.out_dir)})
    first = json.loads((Path(sample_report.out_dir) / "run.json").read_text(encoding="utf-8"))["themes"]["auto_k"]
    stability = {int(k): v for k, v in first["stability"].items()}
    other = min(stability, key=stability.get)  # the least stable candidate: never the winner
    assert other != first["chosen"]
    history = tmp_path / "history.duckdb"
    shutil.copy(history_path(base.history.path, base.output.dir), history)
    con = duckdb.connect(str(history))
    con.execute("UPDATE runs SET auto_k = ?", [other])
    con.close()
    config = base.override({"output.dir": str(tmp_path / "latest"), "history.path": str(history),
                            "model.auto_k_margin": 1.0})
    result = run_report(config)
    run = json.loads((Path(result.out_dir) / "run.json").read_text(encoding="utf-8"))
    auto = run["themes"]["auto_k"]
    assert auto == {**auto, "chosen": other, "previous": other, "kept_previous": True}
    assert result.model.clusterer_.n_clusters == other
    with RunStore(history, read_only=True) as store:
        assert store.runs()["auto_k"].tolist() == [other, other]
        assert store.summary()["auto_k"].tolist() == [str(other), str(other)]  # voc history shows it


def test_float64_seeding_gives_scikit_learns_partitions(blobs):
    """voc.themes._autok._kmeans = KMeans(n_init=1, random_state=seed), only seeded from a float64 copy."""
    from sklearn.cluster import KMeans

    from voc.themes._autok import _kmeans

    rng = np.random.default_rng(1)
    noisy = (blobs + rng.normal(scale=3.0, size=blobs.shape)).astype(np.float32)  # overlapping groups
    for k in (4, 7, 12):
        for seed in (0, 1, 2):
            ours = _kmeans(noisy, k, seed)
            theirs = KMeans(n_clusters=k, n_init=1, random_state=seed).fit(noisy)
            assert (ours.labels_ == theirs.labels_).all() and ours.predict(noisy).tolist() == theirs.predict(noisy).tolist()


def test_a_stage_entered_twice_adds_up():
    # the match stage reads the previous run's k before the fit and matches themes after it
    import time

    from voc.pipeline import _Timer

    timer = _Timer()
    for _ in range(2):
        with timer.stage("match"):
            time.sleep(0.02)
    assert timer.timings["match"] >= 0.04


def test_the_report_model_carries_the_margin_and_the_previous_k():
    from voc.config import Config, ModelConfig
    from voc.pipeline import theme_model

    model = theme_model(Config(model=ModelConfig(auto_k_margin=0.3, seed=7, consensus_runs=12)), previous_k=13)
    assert (model.k_margin, model.previous_k, model.random_state, model.consensus_runs) == (0.3, 13, 7, 12)
