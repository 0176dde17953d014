"""The analyst's round trip: the notebook editor's edits, saved to the taxonomy, survive the next
``run_report`` on the same export; a run without history leaves the taxonomy alone; the rows of a
report carry each deal's outcome as voc read it."""

from __future__ import annotations

from pathlib import Path

import pytest

from ._runs import make_project

FAST = {"model.n_themes": 6, "model.seed": 42, "model.subthemes": False}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 400-deal export (corpus/generate.py) and its config; returns the config path."""
    return make_project(tmp_path_factory.mktemp("roundtrip"), n_deals=400)


def _config(config_path: Path, folder: Path, **overrides):
    from voc.config import load_config

    values = {**FAST, "output.dir": str(folder / "reports" / "latest"), "history.path": str(folder / "h.duckdb"),
              "taxonomy.path": str(folder / "taxonomy.toml"), **overrides}
    return load_config(config_path).override(values)


def test_a_run_without_history_leaves_the_taxonomy_alone(project, tmp_path):
    """Ids of a run that records no history are known to no later run: the taxonomy is read, not
    written (not created when missing, byte for byte the same when present)."""
    from voc.pipeline import run_report
    from voc.taxonomy import Taxonomy, load_taxonomy, save_taxonomy

    config = _config(project, tmp_path, **{"history.enabled": False})
    run_report(config)
    assert not (tmp_path / "taxonomy.toml").exists()
    tax = Taxonomy()
    tax.rename(1, "価格が合わない")
    save_taxonomy(tax, tmp_path / "taxonomy.toml")
    before = (tmp_path / "taxonomy.toml").read_bytes()
    result = run_report(config)
    assert (tmp_path / "taxonomy.toml").read_bytes() == before
    assert load_taxonomy(tmp_path / "taxonomy.toml").ids() == [1]
    assert len(result.themes) >= 2
