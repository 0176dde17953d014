"""``voc history`` and the run history file: exit codes of bad arguments, ids beyond 32 bits,
and an old history that still opens."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from tests.test_store import _assign, _run, _themes
from voc.cli import cli
from voc.history.store import RunStore


def _history(tmp_path: Path) -> Path:
    path = tmp_path / "history.duckdb"
    with RunStore(path) as store:
        store.record_run(_run("r1", "2026-08-31T00:00:00Z"), _themes(), _assign())
    return path


def test_an_unknown_run_or_theme_exits_2_with_the_fix(tmp_path):
    # README: 2 = bad input or configuration, the message names the fix
    path = _history(tmp_path)
    res = CliRunner().invoke(cli, ["history", "--history", str(path), "--run", "nosuch"])
    assert res.exit_code == 2, res.output
    assert "matches no run" in res.output and "voc history" in res.output and "Traceback" not in res.output
    res = CliRunner().invoke(cli, ["history", "--history", str(path), "--theme", "999"])
    assert res.exit_code == 2, res.output
    assert "theme 999 is in no run" in res.output and "--run latest" in res.output
