"""Same input, config and seed → byte-identical assignments.csv and themes.csv across two processes.

The two processes run at the same time with different ``PYTHONHASHSEED`` values, so nothing may
depend on set or dict-of-str iteration order, and with separate output folders and histories.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests._runs import VOC, env, make_project

pytestmark = pytest.mark.slow


def test_two_processes_write_identical_assignments_and_themes(tmp_path: Path) -> None:
    config = make_project(tmp_path / "proj")
    procs = []
    for i, hash_seed in enumerate(("1", "2")):
        out = tmp_path / f"out{i}" / "latest"
        procs.append(
            (
                out,
                subprocess.Popen(
                    [*VOC, "report", "--config", str(config), "--out", str(out)],
                    cwd=config.parent,
                    env=env(hash_seed),
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                ),
            )
        )
    for _, proc in procs:
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
    (a, _), (b, _) = procs
    for name in ("assignments.csv", "themes.csv"):
        left, right = (a / name).read_bytes(), (b / name).read_bytes()
        assert left == right, name
        assert left.count(b"\n") > 5  # a real file, not two empty ones
