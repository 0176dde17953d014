"""End to end: ``voc report`` on a generated export, in a child process, with its stage timings,
wall time, peak RSS and NMI against the generator's ground truth."""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from bench._measure import run

TEXT_COLUMN = "call_note"


class TimedOut(RuntimeError):
    """A child run was killed after its time limit; ``wall_s`` is a lower bound."""

    def __init__(self, what: str, wall_s: float, peak_rss_mb: float) -> None:
        super().__init__(f"{what} killed after {wall_s:.0f}s")
        self.wall_s = wall_s
        self.peak_rss_mb = peak_rss_mb
TRUTH_COLUMN = "call_note_theme"


def write_config(path: Path, export: Path, out_dir: Path, extra: dict[str, Any] | None = None) -> Path:
    """A voc TOML config like ``corpus/voc.toml``, for the call notes of *export*."""
    extra = extra or {}
    model = {"n_themes": "auto", "seed": 42, **{k: v for k, v in extra.items() if "." not in k}}
    sections: dict[str, dict[str, Any]] = {}  # "units.unit=row": another section's key
    for key, v in extra.items():
        if "." in key:
            section, name = key.split(".", 1)
            sections.setdefault(section, {})[name] = v

    def fmt(v: Any) -> str:
        return json.dumps(v, ensure_ascii=False) if not isinstance(v, bool) else str(v).lower()

    lines = [
        "[input]",
        f"path = {fmt(str(export))}",
        f'text_columns = ["{TEXT_COLUMN}"]',
        'id_column = "deal_id"',
        'date_column = "closed_date"',
        'outcome_column = "outcome"',
        'segment_columns = ["industry", "company_size", "region", "owner"]',
        "[model]",
        *(f"{k} = {fmt(v)}" for k, v in model.items()),
        *(line for section, keys in sections.items()
          for line in (f"[{section}]", *(f"{k} = {fmt(v)}" for k, v in keys.items()))),
        "[output]",
        f"dir = {fmt(str(out_dir))}",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def truth_labels(truth: Path, column: str = TRUTH_COLUMN) -> dict[int, str]:
    with open(truth, encoding="utf-8") as fh:
        return {int(r["row"]): r[column] for r in csv.DictReader(fh) if r[column]}


def nmi(pred: dict[int, int], truth: dict[int, str]) -> tuple[float, int]:
    """NMI over the rows that have both a prediction and a true theme (-1 counts as a cluster)."""
    from sklearn.metrics import normalized_mutual_info_score

    rows = sorted(set(pred) & set(truth))
    if not rows:
        return float("nan"), 0
    return float(normalized_mutual_info_score([truth[r] for r in rows], [pred[r] for r in rows])), len(rows)


def _find_run_json(out_dir: Path) -> Path:
    hits = sorted(out_dir.rglob("run.json"), key=lambda p: p.stat().st_mtime)
    if not hits:
        raise RuntimeError(f"voc wrote no run.json under {out_dir}")
    return hits[-1]


def run_voc(export: Path, truth: Path, work: Path, extra: dict[str, Any] | None = None,
            timeout: float | None = None, env: dict[str, str] | None = None,
            src: Path | None = None) -> dict[str, Any]:
    """Run ``python -m voc report`` on *export*; returns timings, memory, NMI and the checksum of
    ``assignments.csv``. *src*: run the voc of this source tree (``PYTHONPATH``, the child started
    outside the current checkout) instead of the installed one."""
    work.mkdir(parents=True, exist_ok=True)
    out_dir = work / "report"
    # absolute(), not resolve(): after the first run out_dir is a link to its run folder, and a
    # resolved path would make voc treat that run folder as the output (each run then nested a
    # longer name until "File name too long")
    cfg = write_config(work / "voc.toml", export.resolve(), out_dir.absolute(), extra)
    # Every run starts from an empty run history, as a first run does: with a history, auto mode
    # keeps the previous run's number of themes (voc.themes._autok), and repeats would not be independent.
    for stale in work.glob("history.duckdb*"):
        stale.unlink()
    cwd = None
    if src is not None:
        env = {**(env if env is not None else os.environ), "PYTHONPATH": str(Path(src).resolve())}
        cwd = work  # not the checkout: `python -m` puts the working directory first on sys.path
    r = run([sys.executable, "-m", "voc", "-q", "report", "--config", str(cfg)], timeout=timeout, env=env, cwd=cwd)
    if r.timed_out:
        raise TimedOut(f"voc report on {export.name}", r.wall_s, r.peak_rss_mb)
    if r.returncode != 0:
        raise RuntimeError(f"voc report failed ({r.returncode}) on {export}:\n{r.stderr[-3000:]}")
    run_json = _find_run_json(out_dir)
    info = json.loads(run_json.read_text(encoding="utf-8"))
    pred: dict[int, int] = {}
    with open(run_json.parent / "assignments.csv", encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            pred[int(row["row"])] = int(row["theme_id"])
    score, n_scored = nmi(pred, truth_labels(truth))
    # without the byte-order mark (voc writes one since issue #28), so trees before and after compare
    raw = (run_json.parent / "assignments.csv").read_bytes().removeprefix(codecs.BOM_UTF8)
    digest = hashlib.sha256(raw).hexdigest()
    return {
        "wall_s": r.wall_s,
        "peak_rss_mb": r.peak_rss_mb,
        "peak_pss_mb": r.peak_pss_mb,
        "rows": info["rows"]["read"],
        "texts": info["rows"]["kept"],
        "n_themes": info["themes"]["n_themes"],
        "stages": info.get("timings_s", {}),
        "nmi": score,
        "nmi_rows": n_scored,
        "assignments_sha256": digest,
    }


def run_naive(export: Path, truth: Path, work: Path, timeout: float | None = None,
              env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run the naive BERTopic reference (:mod:`bench._naive`) in a child process."""
    work.mkdir(parents=True, exist_ok=True)
    out = work / "naive.json"
    cmd = [sys.executable, "-m", "bench._naive", str(export), TEXT_COLUMN, str(out)]
    r = run(cmd, timeout=timeout, env=env)
    if r.timed_out:
        raise TimedOut(f"naive reference on {export.name}", r.wall_s, r.peak_rss_mb)
    if r.returncode != 0:
        raise RuntimeError(f"naive reference failed ({r.returncode}) on {export}:\n{r.stderr[-3000:]}")
    info = json.loads(out.read_text(encoding="utf-8"))
    pred = {int(k): int(v) for k, v in info.pop("labels").items()}
    score, n_scored = nmi(pred, truth_labels(truth))
    return {"wall_s": r.wall_s, "peak_rss_mb": r.peak_rss_mb, "nmi": score, "nmi_rows": n_scored, **info}
