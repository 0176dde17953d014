"""voc never writes through a symbolic link placed in its output folder: a linked lock file or run
history (even a dangling link) is refused with exit 2, and the file it points to is left alone."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from voc.cli import cli
from voc.errors import ConfigError


def _victim(tmp_path: Path) -> Path:
    victim = tmp_path / "elsewhere" / "precious.txt"
    victim.parent.mkdir()
    victim.write_text("do not touch\n", encoding="utf-8")
    return victim


def test_a_symlinked_lock_file_is_refused_not_overwritten(tmp_path: Path) -> None:
    from voc._lock import run_lock

    victim = _victim(tmp_path)
    out = tmp_path / "reports" / "latest"
    out.parent.mkdir()
    os.symlink(victim, out.parent / ".latest.lock")
    with pytest.raises(ConfigError, match="symbolic link") as info, run_lock(out):
        pass
    assert ".latest.lock" in str(info.value) and str(victim) in str(info.value)
    assert victim.read_text(encoding="utf-8") == "do not touch\n"
    dangling = tmp_path / "reports" / ".history.duckdb.lock"
    os.symlink(tmp_path / "elsewhere" / "new.lock", dangling)
    with pytest.raises(ConfigError, match="symbolic link"), run_lock(tmp_path / "reports" / "history.duckdb"):
        pass
    assert not (tmp_path / "elsewhere" / "new.lock").exists()


@pytest.mark.parametrize("name", ["history.duckdb", "history.duckdb.wal"])
def test_a_symlinked_history_is_refused_even_dangling(tmp_path: Path, name: str) -> None:
    from voc.history.store import RunStore

    target = tmp_path / "elsewhere" / "db"
    target.parent.mkdir()
    history = tmp_path / "reports" / "history.duckdb"
    history.parent.mkdir()
    os.symlink(target, history.parent / name)
    with pytest.raises(ConfigError, match="symbolic link") as info:
        RunStore(history).open()
    assert name in str(info.value) and "[history] path" in str(info.value)
    assert not target.exists()


def test_voc_report_refuses_a_dangling_history_link_before_any_work(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "created.duckdb"
    target.parent.mkdir()
    (tmp_path / "export.csv").write_text("text\n" + "".join(f"価格が高い{i}\n" for i in range(30)), encoding="utf-8")
    reports = tmp_path / "reports"
    reports.mkdir()
    os.symlink(target, reports / "history.duckdb")
    res = CliRunner().invoke(cli, ["report", str(tmp_path / "export.csv"), "--text-column", "text",
                                   "--out", str(reports / "latest")])
    assert res.exit_code == 2, res.output
    assert "symbolic link" in res.output and "Traceback" not in res.output
    assert not target.exists() and not (reports / "latest").exists()
