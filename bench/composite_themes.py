"""Several topics per text: how many of a text's topics its themes cover, by statements and by rows
(issue #27).

Usage::

    python -m bench.composite_themes                 # both shared corpora, seed 1, both units
    python -m bench.composite_themes --seed 2 --sources asdc_food_requests.csv

Composite texts (:mod:`bench.composite`: 2-4 real texts of different labels joined, with the gold
label and offsets of each part) go through ``voc report`` with ``--unit statement`` and ``--unit row``
at k = the number of labels. Each theme is read as the gold label most of its units carry (a unit
carries the label of the gold part it overlaps most; a whole-row unit every label of its text), and
a text's predicted topics are the labels of its themes (``theme_ids``; the one ``theme_id`` for rows).
Figures: **topic recall** (share of a text's gold labels among its predicted ones, averaged over
texts), **topic precision**, and the **ceiling of one theme per text** (1 / number of labels,
averaged: what a perfect one-theme-per-text output would reach).
"""

from __future__ import annotations

import argparse
import csv
import statistics
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

from bench.composite import ROOT, SOURCES, _read, compose, write


def _run(texts: Path, unit: str, k: int, out: Path) -> Path:
    from voc.config import Config
    from voc.pipeline import run_report

    config = Config().override({
        "input.path": str(texts), "input.text_columns": ["text"], "units.unit": unit, "model.n_themes": k,
        "model.seed": 0, "model.subthemes": False, "output.dir": str(out / unit / "latest"),
        "history.enabled": False, "clean.mask_pii": False,
    })
    return run_report(config).out_dir


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def measure(report: Path, composites: list[dict]) -> dict[str, float]:
    """Topic recall and precision of the report folder *report* against *composites*."""
    votes: dict[int, Counter[str]] = defaultdict(Counter)
    mentions = report / "mentions.csv"
    if mentions.exists():
        for m in _rows(mentions):
            theme = int(m["theme_id"])
            if theme < 0:
                continue
            a, b = int(m["start"]), int(m["end"])
            parts = composites[int(m["row"])]["parts"]
            overlap = max(parts, key=lambda p: min(b, p[1]) - max(a, p[0]))
            votes[theme][overlap[2]] += 1
    assignments = _rows(report / "assignments.csv")
    if not mentions.exists():
        for r in assignments:
            if int(r["theme_id"]) >= 0:
                votes[int(r["theme_id"])].update(composites[int(r["row"])]["label"].split("|"))
    label_of = {t: c.most_common(1)[0][0] for t, c in votes.items()}
    recall, precision = [], []
    for r in assignments:
        gold = set(composites[int(r["row"])]["label"].split("|"))
        ids = r.get("theme_ids") or r["theme_id"]
        predicted = {label_of[int(t)] for t in ids.split("|") if t and int(t) >= 0 and int(t) in label_of}
        recall.append(len(gold & predicted) / len(gold))
        if predicted:
            precision.append(len(gold & predicted) / len(predicted))
    return {"topic_recall": statistics.mean(recall), "topic_precision": statistics.mean(precision or [0.0]),
            "one_theme_ceiling": statistics.mean(1 / c["n_parts"] for c in composites)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sources", nargs="*", default=list(SOURCES))
    args = parser.parse_args(argv)
    print("| corpus | seed | texts | labels | unit | topic recall | topic precision | one-theme ceiling |")
    print("|---|---|---|---|---|---|---|---|")
    for name in args.sources:
        rows = _read(args.data / name)
        composites = compose(rows, args.seed)
        k = len({lab for _, lab in rows if lab})
        with tempfile.TemporaryDirectory() as tmp:
            texts, _ = write(composites, Path(tmp), name.removesuffix(".csv"))
            for unit in ("statement", "row"):
                f = measure(_run(texts, unit, k, Path(tmp)), composites)
                print(f"| {name} | {args.seed} | {len(composites)} | {k} | {unit} | {f['topic_recall']:.3f} | "
                      f"{f['topic_precision']:.3f} | {f['one_theme_ceiling']:.3f} |")


if __name__ == "__main__":
    main()
