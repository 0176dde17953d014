"""SIGKILL at any point of the render and history stages: the ``latest`` link and the run history
name the same run (the link never points at a run the history lacks), and the next run brings the
taxonomy up to date.

Each kill is made inside the child process by a hook this test installs (a logging handler, or a
wrapper around one step) that sends SIGKILL to its own process: the point is exact, not a race
between reading the log and killing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import textwrap
from pathlib import Path

import pytest

from tests._runs import VOC, env, make_project, run

pytestmark = pytest.mark.slow

_CHILD = textwrap.dedent('''
    import logging, os, signal, sys

    point, config = sys.argv[1], sys.argv[2]

    def die(*_a, **_k):
        os.kill(os.getpid(), signal.SIGKILL)

    class KillAtStage(logging.Handler):
        def emit(self, record):
            if record.msg == "stage %s …" and record.args == (point.removeprefix("stage "),):
                die()

    def after(module, name):
        original = getattr(module, name)
        def wrapper(*a, **k):
            result = original(*a, **k)
            die()
            return result
        setattr(module, name, wrapper)

    import voc.history.store as store
    import voc.report.writer as writer
    import voc.taxonomy as taxonomy
    if point.startswith("stage "):
        logging.getLogger("voc").addHandler(KillAtStage())
    elif point == "after the run folder":
        after(writer, "write_run_folder")
    elif point == "after the history commit":
        after(store.RunStore, "record_run")
    elif point == "after the link switch":
        after(writer, "_switch")
    elif point == "before the taxonomy":
        taxonomy.save_taxonomy = die
    else:
        raise SystemExit(f"unknown point {point}")
    from voc.cli import cli
    cli(["-v", "report", "--config", config], prog_name="voc")
''')

POINTS = ["stage render", "after the run folder", "stage history", "after the history commit",
          "after the link switch", "before the taxonomy"]


def _kill_at(config: Path, point: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*VOC[:-2], "-c", _CHILD, point, str(config)], cwd=config.parent, env=env(),
                          capture_output=True, text=True, timeout=600)


def _history_runs(path: Path) -> list[str]:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        return [r[0] for r in con.execute("SELECT run_id FROM runs ORDER BY created_at, run_id").fetchall()]
    finally:
        con.close()


def _linked_run(latest: Path) -> str:
    return json.loads((latest / "run.json").read_text(encoding="utf-8"))["run_id"]


def test_latest_and_history_agree_after_a_sigkill_at_any_point(tmp_path: Path) -> None:
    config = make_project(tmp_path / "proj", n_deals=200)
    config.write_text(config.read_text(encoding="utf-8") + '\n[taxonomy]\npath = "taxonomy.toml"\n', encoding="utf-8")
    reports = config.parent / "reports"
    latest, history = reports / "latest", reports / "history.duckdb"
    first = run(config)
    assert first.returncode == 0, first.stderr
    for point in POINTS:
        before = _history_runs(history)
        killed = _kill_at(config, point)
        assert killed.returncode == -signal.SIGKILL, f"{point}: not killed\n{killed.stderr[-3000:]}"
        recorded = _history_runs(history)
        linked = _linked_run(latest)
        assert linked in recorded, f"killed {point}: latest shows run {linked}, which the history {recorded} lacks"
        assert recorded[:len(before)] == before and len(recorded) - len(before) in (0, 1), point
        if point in ("stage render", "after the run folder", "stage history"):
            assert recorded == before and linked == before[-1], point  # nothing recorded, nothing switched
        if point in ("after the link switch", "before the taxonomy"):
            assert linked == recorded[-1] != before[-1], point  # recorded and switched
    last = run(config)
    assert last.returncode == 0, last.stderr
    linked = _linked_run(latest)
    assert linked == _history_runs(history)[-1]
    # the taxonomy holds every theme of the run `latest` shows (a run whose history was lost
    # before never got its new themes into the taxonomy)
    import tomllib

    themes = json.loads((latest / "run.json").read_text(encoding="utf-8"))
    taxonomy = tomllib.loads((config.parent / "taxonomy.toml").read_text(encoding="utf-8"))
    ids = {t["id"] for t in taxonomy.get("theme", [])}
    import duckdb

    con = duckdb.connect(str(history), read_only=True)
    recorded_ids = {r[0] for r in con.execute("SELECT theme_id FROM themes WHERE run_id = ?", [linked]).fetchall()}
    con.close()
    assert themes["run_id"] == linked and recorded_ids and recorded_ids <= ids
    assert not list(reports.glob(".latest.tmp-*"))  # a killed run's leftovers are removed
    assert os.path.islink(latest)
