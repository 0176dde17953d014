"""Composite texts for measuring statements: 2-4 real texts of different labels joined into one.

Usage::

    python -m bench.composite --out /tmp/composite --seed 1
    # -> /tmp/composite/asdc_food_requests.composite.csv   (text, label "a|b|c")
    #    /tmp/composite/asdc_food_requests.statements.csv  (row, start, end, label)
    #    and the same for livedoor_titles

Each source text is used at most once per seed; the texts of one composite have different labels; the
number of texts (2-4) and the joiner are drawn from the seeded generator: 。-ended texts run on, or are
joined by a line break, a space, or a ・ bullet per line (the shapes the splitter must cut). The
statement file gives each part's offsets in the composite text, so that ``voc evaluate`` can score
statement NMI / ARI, segmentation and label-set recall and precision. The shared files are read in
place (../shared/data), never copied into the project; the outputs go where ``--out`` says.
"""

from __future__ import annotations

import argparse
import csv
import random
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("asdc_food_requests.csv", "livedoor_titles.csv")
JOINERS = ("run", "newline", "space", "bullets")


def _join(texts: list[str], style: str) -> tuple[str, list[tuple[int, int]]]:
    """Join *texts* in *style*; the (start, end) of each in the result."""
    pieces, spans, pos = [], [], 0
    for i, text in enumerate(texts):
        if style == "run":
            if i and not pieces[-1].endswith(("。", "！", "？", "!", "?", "」", "）")):
                pieces.append("。")
                pos += 1
        elif i:
            sep = {"newline": "\n", "space": "　", "bullets": "\n・"}[style]
            pieces.append(sep)
            pos += len(sep)
        elif style == "bullets":
            pieces.append("・")
            pos += 1
        pieces.append(text)
        spans.append((pos, pos + len(text)))
        pos += len(text)
    return "".join(pieces), spans


def compose(rows: list[tuple[str, str]], seed: int, min_parts: int = 2, max_parts: int = 4) -> list[dict]:
    """Composite texts from (text, label) rows: each row used at most once, labels distinct within one.

    Returns
    -------
    list of dict
        ``text``, ``label`` (``a|b``), ``n_parts``, ``joiner`` and ``parts``: a list of
        (start, end, label) for each source text in the composite.
    """
    rng = random.Random(seed)
    by_label: dict[str, list[str]] = defaultdict(list)
    for text, label in rows:
        text = text.strip()
        if text and label:
            by_label[label].append(text)
    for texts in by_label.values():
        rng.shuffle(texts)
    out = []
    while True:
        left = sorted(lab for lab, texts in by_label.items() if texts)
        if len(left) < min_parts:
            break
        k = rng.randint(min_parts, min(max_parts, len(left)))
        weights = [len(by_label[lab]) for lab in left]
        labels: list[str] = []
        while len(labels) < k:  # larger classes are drawn more often, so few texts are left over
            lab = rng.choices(left, weights=weights)[0]
            if lab not in labels:
                labels.append(lab)
        style = rng.choice(JOINERS)
        text, spans = _join([by_label[lab].pop() for lab in labels], style)
        parts = [(a, b, lab) for (a, b), lab in zip(spans, labels, strict=True)]
        out.append({"text": text, "label": "|".join(labels), "n_parts": k, "joiner": style, "parts": parts})
    return out


def _read(path: Path) -> list[tuple[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return [(r["text"], r["label"]) for r in csv.DictReader(fh)]


def write(composites: list[dict], out: Path, stem: str) -> tuple[Path, Path]:
    """Write ``<stem>.composite.csv`` (text, label, n_parts, joiner) and ``<stem>.statements.csv``
    (row, start, end, label) into *out*."""
    out.mkdir(parents=True, exist_ok=True)
    texts, gold = out / f"{stem}.composite.csv", out / f"{stem}.statements.csv"
    with open(texts, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["text", "label", "n_parts", "joiner"])
        w.writerows([c["text"], c["label"], c["n_parts"], c["joiner"]] for c in composites)
    with open(gold, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["row", "start", "end", "label"])
        w.writerows([i, a, b, lab] for i, c in enumerate(composites) for a, b, lab in c["parts"])
    return texts, gold


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    for name in SOURCES:
        rows = _read(args.data / name)
        composites = compose(rows, args.seed)
        texts, gold = write(composites, args.out, name.removesuffix(".csv"))
        used = sum(c["n_parts"] for c in composites)
        print(f"{name}: {len(composites)} composites from {used} of {len(rows)} texts -> {texts}, {gold}")


if __name__ == "__main__":
    main()
