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


def test_a_taxonomy_id_beyond_32_bits_exits_2_before_any_work(tmp_path):
    # the history stores ids as INTEGER: such an id crashed the history stage after the whole fit
    (tmp_path / "export.csv").write_text("text\n価格が高い\n", encoding="utf-8")
    (tmp_path / "taxonomy.toml").write_text(f"[[theme]]\nid = {2**31}\nname = '価格'\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["report", str(tmp_path / "export.csv"), "--text-column", "text",
                                   "--out", str(tmp_path / "reports" / "latest"),
                                   "--taxonomy", str(tmp_path / "taxonomy.toml")])
    assert res.exit_code == 2, res.output
    assert "taxonomy.toml" in res.output and f"id {2**31} is out of range" in res.output
    assert not (tmp_path / "reports" / "latest").exists()
