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

    # the same run also shows that every row is accounted for and no planted PII leaves clean()
    _check_rows_and_pii(config.parent / "export.csv", a)


def _check_rows_and_pii(export: Path, out: Path) -> None:
    import json
    import re

    import duckdb
    import pandas as pd

    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assigned = pd.read_csv(out / "assignments.csv")
    rejected = pd.read_csv(out / "rejected.csv")
    n = run["rows"]["read"]
    assert n == len(pd.read_csv(export, dtype=str))
    assert sorted(assigned["row"].tolist() + rejected["row"].tolist()) == list(range(n))
    assert run["rows"]["kept"] == len(assigned) and run["rows"]["rejected"] == len(rejected)
    assert run["rows"]["truncated"] == 0
    from voc.read import REJECT_REASONS

    assert set(rejected["reason"]) <= set(REJECT_REASONS) and rejected["reason"].notna().all()

    raw = pd.read_csv(export, dtype=str).fillna("")["lost_reason"]
    emails = set(re.findall(r"[\w.+-]+@example\.[a-z.]+", " ".join(raw)))
    phones = {re.sub(r"\D", "", p) for p in re.findall(r"0\d{1,3}-\d{3,4}-\d{4}", " ".join(raw))}
    assert emails and phones  # the generator plants some in lost_reason
    shown = " ".join(
        p.read_text(encoding="utf-8") for p in out.resolve().rglob("*") if p.suffix in (".html", ".md", ".csv", ".json")
    )
    con = duckdb.connect(str(out.parent / "history.duckdb"), read_only=True)
    try:
        for (table,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall():
            shown += " ".join(str(v) for row in con.execute(f'SELECT * FROM "{table}"').fetchall() for v in row)
    finally:
        con.close()
    assert not [e for e in emails if e in shown]
    digits = re.sub(r"\D", "", shown)
    assert not [p for p in phones if p in digits]
