"""Crash-safe scheduled runs: SIGKILL during the theme step, the lock, disk-full and permission errors."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
from pathlib import Path

import pytest

from tests._runs import VOC, digest, env, make_project, run

pytestmark = pytest.mark.slow


def _history_rows(path: Path) -> list[tuple]:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT run_id, n_read, n_kept FROM runs ORDER BY created_at, run_id").fetchall()
    finally:
        con.close()


def _kill_during_themes(config: Path) -> tuple[int, str]:
    """Start a run, SIGKILL it right after it logs 'stage themes', return (returncode, log)."""
    proc = subprocess.Popen(
        [*VOC, "-v", "report", "--config", str(config)],
        cwd=config.parent,
        env=env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    seen: list[str] = []
    try:
        assert proc.stderr is not None
        for line in proc.stderr:
            seen.append(line)
            if "stage themes" in line:
                os.kill(proc.pid, signal.SIGKILL)
                break
        proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
    return proc.returncode, "".join(seen)


def test_sigkill_during_themes_leaves_report_and_history_intact(tmp_path: Path) -> None:
    config = make_project(tmp_path / "proj")
    reports = config.parent / "reports"
    latest = reports / "latest"

    first = run(config)
    assert first.returncode == 0, first.stderr
    assert latest.is_symlink() and (latest / "index.html").is_file()
    before_target = os.readlink(latest)
    before_files = digest(latest)
    history = reports / "history.duckdb"
    before_history = _history_rows(history) if history.exists() else None

    code, log = _kill_during_themes(config)
    assert code == -signal.SIGKILL, f"the run was not killed during the theme step:\n{log}"
    assert "report written" not in log
    # the previous report is untouched and still the one `latest` points to
    assert os.readlink(latest) == before_target
    assert digest(latest) == before_files
    visible = sorted(p.name for p in reports.iterdir() if not p.name.startswith("."))
    assert visible == sorted(["latest", before_target, *(["history.duckdb"] if history.exists() else [])])
    if before_history is not None:
        assert _history_rows(history) == before_history

    third = run(config)
    assert third.returncode == 0, third.stderr
    assert os.readlink(latest) != before_target  # switched to the new run folder
    assert (reports / before_target / "index.html").is_file()  # the older run is kept
    assert not list(reports.glob(".latest.tmp-*"))  # leftovers of the killed run removed
    if before_history is not None:
        after = _history_rows(history)
        assert after[: len(before_history)] == before_history and len(after) == len(before_history) + 1


def test_a_second_run_on_the_same_output_is_refused(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from voc._lock import run_lock
    from voc.cli import cli

    config = make_project(tmp_path / "proj", n_deals=60)
    out = config.parent / "reports" / "latest"
    with run_lock(out):  # another run holds the output folder
        result = CliRunner().invoke(cli, ["report", "--config", str(config)])
    assert result.exit_code == 1
    assert "another voc run is writing" in result.output and str(os.getpid()) in result.output
    assert not out.exists()


def test_a_second_run_on_the_same_history_is_refused(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from voc._lock import run_lock
    from voc.cli import cli

    config = make_project(tmp_path / "proj", n_deals=60)
    history = config.parent / "shared" / "history.duckdb"
    config.write_text(config.read_text(encoding="utf-8") + f'\n[history]\npath = "{history}"\n', encoding="utf-8")
    with run_lock(history):  # a run writing another output folder holds the same history
        result = CliRunner().invoke(cli, ["report", "--config", str(config), "--out", str(tmp_path / "b" / "latest")])
    assert result.exit_code == 1
    assert "another voc run is writing" in result.output and "history.duckdb" in result.output


def _tiny_report(out: Path, **kw) -> Path:
    import pandas as pd

    from voc.report import ReportModel, ThemeRow, write_report

    model = ReportModel(
        title="t",
        input_name="x.csv",
        themes=[ThemeRow(theme_id=0, label="価格", size=1, share=1.0, keywords=["価格"], quotes=["高い"])],
        rows={"read": 1, "kept": 1, "rejected": 0},
        rejected_by_reason={},
        n_unassigned=0,
    )
    assign = pd.DataFrame({"row": [0], "theme_id": [0]})
    rejected = pd.DataFrame(columns=["row", "reason", "detail"])
    from .test_record import _record

    return write_report(out, model, assign, rejected, _record(), **kw)


def test_run_folders_and_latest_link(tmp_path: Path) -> None:
    out = tmp_path / "reports" / "latest"
    _tiny_report(out, stamp="2026-11-27T060000Z")
    _tiny_report(out, stamp="2026-11-28T060000Z")
    _tiny_report(out, stamp="2026-11-28T060000Z")  # same second: a distinct folder
    names = sorted(p.name for p in out.parent.iterdir() if not p.name.startswith("."))
    assert names == ["2026-11-27T060000Z", "2026-11-28T060000Z", "2026-11-28T060000Z-2", "latest"]
    assert os.readlink(out) == "2026-11-28T060000Z-2"
    other = tmp_path / "srv" / "sales"
    _tiny_report(other, stamp="2026-11-28T060000Z")
    assert os.readlink(other) == "sales.2026-11-28T060000Z" and (other / "themes.csv").is_file()


def test_writing_to_the_run_folder_behind_a_link_is_refused(tmp_path: Path) -> None:
    # `--out $(realpath reports/sales)` names the run folder the link points to: writing there would
    # move that folder aside and nest a longer name on every run ("sales.<stamp>.<stamp>…" until the
    # file system refuses the name), so voc stops and names the link to use instead.
    from voc.errors import VocError

    link = tmp_path / "sales"
    _tiny_report(link, stamp="2026-11-28T060000Z")
    resolved = link.resolve()
    assert resolved.name == "sales.2026-11-28T060000Z"
    with pytest.raises(VocError, match=r"points to; write to the link") as err:
        _tiny_report(resolved, stamp="2026-11-29T060000Z")
    assert str(link) in str(err.value)
    names = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("."))
    assert names == ["sales", "sales.2026-11-28T060000Z"] and os.readlink(link) == "sales.2026-11-28T060000Z"
    _tiny_report(link, stamp="2026-11-29T060000Z")  # through the link: a new folder beside it
    assert os.readlink(link) == "sales.2026-11-29T060000Z"


def test_a_folder_that_is_not_a_report_is_refused(tmp_path: Path) -> None:
    from voc.errors import VocError

    out = tmp_path / "Documents"
    out.mkdir()
    (out / "売上.xlsx").write_text("user data", encoding="utf-8")
    with pytest.raises(VocError, match="does not hold a voc report"):
        _tiny_report(out)
    assert (out / "売上.xlsx").read_text(encoding="utf-8") == "user data" and not out.is_symlink()
    empty = tmp_path / "empty"
    empty.mkdir()
    _tiny_report(empty)
    assert empty.is_symlink()


def test_an_old_real_folder_is_moved_aside_not_lost(tmp_path: Path) -> None:
    out = tmp_path / "latest"
    out.mkdir()
    (out / "index.html").write_text("old", encoding="utf-8")
    (out / "run.json").write_text("{}", encoding="utf-8")
    _tiny_report(out, stamp="2026-11-28T060000Z")
    assert out.is_symlink()
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("previous-")]
    assert len(aside) == 1 and (aside[0] / "index.html").read_text(encoding="utf-8") == "old"


@pytest.mark.parametrize(
    ("err", "message"),
    [(errno.ENOSPC, "the disk is full"), (errno.EACCES, "permission denied"), (errno.EROFS, "read-only")],
)
def test_disk_full_and_permission_errors_exit_1_and_keep_the_previous_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, err: int, message: str
) -> None:
    from voc.errors import VocError
    from voc.report import writer

    out = tmp_path / "reports" / "latest"
    _tiny_report(out, stamp="2026-11-27T060000Z")
    before = digest(out)
    real_write = writer._write
    calls = {"n": 0}

    def failing_write(path: Path, data) -> None:
        calls["n"] += 1
        if calls["n"] == 3:  # a few files in: the disk fills up
            raise OSError(err, os.strerror(err), str(path))
        real_write(path, data)

    monkeypatch.setattr(writer, "_write", failing_write)
    with pytest.raises(VocError) as exc:
        _tiny_report(out, stamp="2026-11-28T060000Z")
    assert exc.value.exit_code == 1
    assert message in str(exc.value) and "previous report is unchanged" in str(exc.value)
    assert os.readlink(out) == "2026-11-27T060000Z" and digest(out) == before
    assert not (out.parent / "2026-11-28T060000Z").exists()
    assert not list(out.parent.glob(".latest.tmp-*"))


def test_an_output_under_a_file_is_a_clear_error(tmp_path: Path) -> None:
    from voc.errors import VocError

    blocker = tmp_path / "reports"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(VocError, match="cannot create the output folder") as exc:
        _tiny_report(blocker / "latest")
    assert exc.value.exit_code == 1


def test_csv_cells_that_look_like_formulas_are_defused(tmp_path: Path) -> None:
    import pandas as pd

    from voc.report.writer import _csv

    frame = pd.DataFrame(
        {"row": [0, 1, 2, 3], "theme_id": [-1, 0, 1, 2], "text": ['=HYPERLINK("http://x")', "+81 3", "-1", "価格"]}
    )
    got = pd.read_csv(__import__("io").BytesIO(_csv(frame)), dtype=str, encoding="utf-8-sig")
    assert got["text"].tolist() == ['\'=HYPERLINK("http://x")', "'+81 3", "-1", "価格"]
    assert got["theme_id"].tolist() == ["-1", "0", "1", "2"]
