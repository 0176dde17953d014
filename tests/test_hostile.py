"""Issue #28's measurement: every row of 1,000 seeded hostile exports is accounted for.

For each export of :mod:`tests.data.make_hostile` (stray quotes, line breaks and NUL bytes in ids,
damaged bytes, nested Parquet cells, XLSX footers and zip bombs, dates in every form with a window):
the read → window → clean stages keep or reject every data row the file holds (read = kept +
rejected, each row once), the rejections name the line or row and the column, or the run stops
with an :class:`~voc.errors.InputError` that names the file and says what the generator planted.
A seeded handful goes through the real CLI (``python -m voc report``): exit 0 with
assignments.csv + rejected.csv holding every row, or exit 2 with the message.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.data.make_hostile import HostileSpec, write_hostile
from voc.clean import clean
from voc.errors import InputError
from voc.read import REJECT_REASONS, filter_window, read_export

ROOT = Path(__file__).resolve().parents[1]


def account(spec: HostileSpec) -> str:
    """Run read → window → clean on *spec*; return ``"ok"`` or ``"error"`` (asserting either way)."""
    try:
        export = read_export(spec.path, text_columns=spec.text_columns, required_columns=[spec.id_column,
                             spec.date_column], **spec.read_kwargs)
        inside, outside = filter_window(export.frame, spec.date_column, spec.since, spec.until, path=str(spec.path))
    except InputError as exc:
        message = str(exc)
        assert str(spec.path) in message, message
        assert spec.error is not None and spec.error in message, (spec, message)
        return "error"
    assert spec.error is None, (spec, "no error raised")
    kept, rejected = clean(inside, spec.text_columns)
    rows = [*kept["row"], *rejected["row"], *outside["row"], *export.rejected["row"]]
    assert export.n_read == spec.n_rows, (spec, export.n_read, export.rejected.to_dict("records"))
    assert sorted(rows) == list(range(export.n_read)), spec
    reasons = set(rejected["reason"]) | set(outside["reason"]) | set(export.rejected["reason"])
    assert reasons <= set(REJECT_REASONS), reasons
    for reason, detail in zip(export.rejected["reason"], export.rejected["detail"], strict=True):
        if reason in ("broken_quote", "ragged_row"):
            assert detail.startswith("line "), detail
        if reason in ("broken_quote", "nested_value"):
            assert "column '" in detail, detail
    assert all(isinstance(t, str) and t and "\x00" not in t for t in kept["text"])
    assert not any(t.startswith("[") and "' '" in t for t in kept["text"]), "a Python repr was analysed"
    return "ok"


@pytest.mark.slow
def test_every_row_of_1000_hostile_exports_is_accounted_for(tmp_path: Path) -> None:
    specs = write_hostile(tmp_path, n=1000, seed=28)
    outcomes = Counter((s.kind, account(s)) for s in specs)
    assert sum(outcomes.values()) == 1000
    print(dict(sorted(outcomes.items())))
    for kind in ("quote", "crlf", "nul", "encoding", "parquet", "xlsx", "dates"):
        assert outcomes[(kind, "ok")] > 0, kind
    for kind in ("encoding", "xlsx", "dates"):
        assert outcomes[(kind, "error")] > 0, kind


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _cli(tmp_path: Path) -> list[tuple[HostileSpec, subprocess.CompletedProcess, Path]]:
    specs = write_hostile(tmp_path / "in", n=14, seed=7)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = []
    for i, spec in enumerate(specs):
        out = tmp_path / f"out{i}"
        args = [sys.executable, "-m", "voc", "report", str(spec.path), "--id-column", spec.id_column,
                "--date-column", spec.date_column, "--n-themes", "2", "--embedding", "lsa", "--clustering", "kmeans",
                "--naming", "keywords", "--no-subthemes", "--no-history", "--out", str(out)]
        for col in spec.text_columns:
            args += ["--text-column", col]
        for key, value in (("--since", spec.since), ("--until", spec.until), *(
                (f"--{k.replace('_', '-')}", str(v)) for k, v in spec.read_kwargs.items())):
            if value:
                args += [key, value]
        done.append((spec, subprocess.run(args, capture_output=True, text=True, env=env, timeout=600, cwd=tmp_path),
                     out))
    return done


@pytest.mark.slow
def test_a_seeded_handful_through_the_cli(tmp_path: Path) -> None:
    """14 exports: exit 0 with run.json's read = kept + rejected = the rows written, or exit 2 with
    the message (planted errors name the file)."""
    codes = Counter()
    for spec, done, out in _cli(tmp_path):
        codes[done.returncode] += 1
        assert done.returncode in (0, 2), (spec, done.stderr[-2000:])
        if spec.error is not None:
            assert done.returncode == 2 and str(spec.path) in done.stderr and spec.error in done.stderr, done.stderr
        elif done.returncode == 2:  # too few texts for two themes: the theme stage says so
            assert "error:" in done.stderr, done.stderr[-2000:]
        else:
            rows = json.loads((out / "run.json").read_text(encoding="utf-8"))["rows"]
            assert rows["read"] == rows["kept"] + rows["rejected"] == spec.n_rows, (spec, rows)
    print(dict(codes))
    assert codes[0] >= 5 and codes[2] >= 2


@pytest.mark.slow
def test_the_cli_outputs_read_back_row_for_row(tmp_path: Path) -> None:
    for spec, done, out in _cli(tmp_path):
        if done.returncode == 0:
            assigned, rejected = _csv_rows(out / "assignments.csv"), _csv_rows(out / "rejected.csv")
            assert len(assigned) + len(rejected) == spec.n_rows, spec
            assert sorted(int(r["row"]) for r in assigned + rejected) == list(range(spec.n_rows))
