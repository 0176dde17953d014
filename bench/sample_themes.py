"""How well the themes of the sample report follow the concerns planted in the sample (issue #27).

Usage::

    python -m bench.sample_themes                      # runs `voc report` on corpus/voc.toml first
    python -m bench.sample_themes --report reports/latest
    python -m bench.sample_themes --unit row           # the same with one theme per row

``corpus/generate.py`` writes the truth of every call-note statement (``corpus/
sample_crm_export.statements.csv``: ``row``, ``column``, ``start``, ``end``, ``kind``, ``key``).
Figures, against that truth:

- **statements found**: share of true statements that ``mentions.csv`` holds with the same offsets;
- **log precision / recall**: of the statements found, how the pipeline's ``kind`` agrees;
- **purity**: per theme, the share of its found call-note statements that carry its most common
  planted key; the number of themes with purity ≥ 0.6 and the median. For ``--unit row`` a theme
  holds every customer statement of its rows' call notes (what a reader of its quotes sees).
  **Concern themes** are those whose key is a concern (price,
  integration, support …), not the customer's situation, interest or context.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRUTH = ROOT / "corpus" / "sample_crm_export.statements.csv"
#: Planted voice keys that are not a concern (what the customer has, is interested in, their
#: context): a theme of these is not a concern marketing acts on.
GENERIC = frozenset({"situation", "interest", "context"})


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _run(unit: str, out: Path) -> Path:
    from voc.config import load_config
    from voc.pipeline import run_report

    config = load_config(ROOT / "corpus" / "voc.toml").override(
        {"output.dir": str(out / "latest"), "units.unit": unit, "history.enabled": False})
    return run_report(config).out_dir


def _purity(members: dict[str, list[str]]) -> dict[str, float]:
    return {t: Counter(keys).most_common(1)[0][1] / len(keys) for t, keys in members.items() if keys}


def measure(report: Path) -> dict[str, float]:
    """The figures of the module docstring for the report folder *report*."""
    truth = _read(TRUTH)
    members: dict[str, list[str]] = defaultdict(list)
    out: dict[str, float] = {}
    if (report / "mentions.csv").exists():
        found = {(m["row"], m["column"], m["start"], m["end"]): m for m in _read(report / "mentions.csv")}
        hits = [(t, found.get((t["row"], t["column"], t["start"], t["end"]))) for t in truth]
        matched = [(t, m) for t, m in hits if m is not None]
        tp = sum(t["kind"] == "log" and m["kind"] == "log" for t, m in matched)
        out["statements_found"] = len(matched) / len(truth)
        out["log_precision"] = tp / max(1, sum(m["kind"] == "log" for _, m in matched))
        out["log_recall"] = tp / max(1, sum(t["kind"] == "log" for t, _ in matched))
        for t, m in matched:
            if m["kind"] == "voice" and int(m["theme_id"]) >= 0 and t["kind"] == "voice":
                members[m["theme_id"]].append(t["key"])
        purity = _purity(members)
    else:  # one theme per row: the theme holds every customer statement of its rows
        keys: dict[str, list[str]] = defaultdict(list)
        for t in truth:
            if t["kind"] == "voice":
                keys[t["row"]].append(t["key"])
        for a in _read(report / "assignments.csv"):
            if int(a["theme_id"]) >= 0:
                members[a["theme_id"]].extend(keys.get(a["row"], []))
        purity = _purity(members)
    concern = {t: p for t, p in purity.items() if Counter(members[t]).most_common(1)[0][0] not in GENERIC}
    out["concern_themes"] = len(concern)
    out["concern_themes_purity_ge_0.6"] = sum(p >= 0.6 for p in concern.values())
    out["themes"] = len(purity)
    out["themes_purity_ge_0.6"] = sum(p >= 0.6 for p in purity.values())
    out["median_purity"] = statistics.median(purity.values()) if purity else 0.0
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", type=Path, help="a report folder (default: run voc report on the sample)")
    parser.add_argument("--unit", choices=["statement", "row"], default="statement")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        report = args.report or _run(args.unit, Path(tmp))
        figures = measure(report)
    print(f"| figure | {args.unit} units |\n|---|---|")
    for k, v in figures.items():
        print(f"| {k} | {v:.3f} |" if isinstance(v, float) else f"| {k} | {v} |")


if __name__ == "__main__":
    main()
