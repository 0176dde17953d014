"""Measure the statement splitter and the voice/log rule (issue #27).

Usage::

    python -m bench.statements                     # the sample's call notes + the shared corpora
    python -m bench.statements --splitters all     # also ja-sentence-segmenter and bunkai if installed

Figures:

- **segmentation**: share of gold statements matched by a predicted statement at character IoU >= 0.5
  (and the converse, the share of predicted statements that match a gold one);
- **voice/log** precision and recall of :func:`voc.statements.statement_kind` on the gold statements;
- **split share**: on ../shared/data texts (each one request or one headline), the share cut into more
  than one statement, and the share the voice rule calls voice.

The gold is ``corpus/sample_crm_export.statements.csv`` (written by ``corpus/generate.py``).
"""

from __future__ import annotations

import argparse
import csv
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

from voc.statements import split_statements, statement_kind

ROOT = Path(__file__).resolve().parents[1]
Spans = list[tuple[int, int]]
Splitter = Callable[[str], Spans]


def iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Character intersection over union of two half-open spans."""
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    return inter / max(1, max(a[1], b[1]) - min(a[0], b[0]))


def segmentation(gold: dict[str, Spans], pred: dict[str, Spans], threshold: float = 0.5) -> tuple[float, float]:
    """(recall, precision): share of gold spans matched by a predicted span at IoU >= threshold,
    and share of predicted spans matched by a gold one; both keyed by text id."""
    hit = total = phit = ptotal = 0
    for key, spans in gold.items():
        got = pred.get(key, [])
        hit += sum(any(iou(g, p) >= threshold for p in got) for g in spans)
        phit += sum(any(iou(g, p) >= threshold for g in spans) for p in got)
        total, ptotal = total + len(spans), ptotal + len(got)
    return hit / max(1, total), phit / max(1, ptotal)


def kind_scores(pairs: Iterable[tuple[str, str]]) -> dict[str, tuple[float, float]]:
    """{kind: (precision, recall)} from (gold, predicted) pairs."""
    conf = Counter(pairs)
    out = {}
    for kind in ("voice", "log"):
        tp = conf[(kind, kind)]
        fp = sum(v for (g, p), v in conf.items() if p == kind and g != kind)
        fn = sum(v for (g, p), v in conf.items() if g == kind and p != kind)
        out[kind] = (tp / max(1, tp + fp), tp / max(1, tp + fn))
    return out


def load_sample(root: Path = ROOT) -> tuple[list[str], dict[str, Spans], list[tuple[int, int, int, str]]]:
    """Call notes of the sample, gold spans per row, and (row, start, end, kind) per gold statement."""
    with open(root / "corpus" / "sample_crm_export.csv", encoding="utf-8", newline="") as fh:
        notes = [r["call_note"] for r in csv.DictReader(fh)]
    gold: dict[str, Spans] = defaultdict(list)
    kinds = []
    with open(root / "corpus" / "sample_crm_export.statements.csv", encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            row, a, b = int(r["row"]), int(r["start"]), int(r["end"])
            gold[str(row)].append((a, b))
            kinds.append((row, a, b, r["kind"]))
    return notes, dict(gold), kinds


def locate(text: str, pieces: Iterable[str]) -> Spans:
    """Offsets of *pieces* (a library's sentences, in order) in *text*, white space trimmed."""
    spans, pos = [], 0
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        at = text.find(piece, pos)
        if at < 0:
            continue
        spans.append((at, at + len(piece)))
        pos = at + len(piece)
    return spans


def library_splitters() -> dict[str, Splitter]:
    """Maintained sentence splitters that are installed, as offset splitters (for comparison only)."""
    out: dict[str, Splitter] = {}
    try:
        import functools

        from ja_sentence_segmenter.common.pipeline import make_pipeline
        from ja_sentence_segmenter.split.simple_splitter import split_newline, split_punctuation

        seg = make_pipeline(split_newline, functools.partial(split_punctuation, punctuations=r"。!?！？"))
        out["ja-sentence-segmenter"] = lambda t: locate(t, seg(t))
    except ImportError:
        pass
    try:
        from bunkai import Bunkai

        bunkai = Bunkai()
        out["bunkai (rules)"] = lambda t: locate(t, (s for line in t.split("\n") for s in bunkai(line)))
    except ImportError:
        pass
    return out


def ours(text: str) -> Spans:
    return [(s.start, s.end) for s in split_statements(text)]


def measure_sample(splitters: dict[str, Splitter]) -> None:
    notes, gold, kinds = load_sample()
    print(f"sample call notes: {len(gold)} notes, {sum(map(len, gold.values()))} gold statements")
    for name, split in splitters.items():
        pred = {key: split(notes[int(key)]) for key in gold}
        rec, prec = segmentation(gold, pred)
        print(f"  segmentation  {name:24s} gold matched {rec:.4f}  predicted matched {prec:.4f}")
    pairs = [(k, statement_kind(notes[row][a:b]).kind) for row, a, b, k in kinds]
    for kind, (p, r) in kind_scores(pairs).items():
        print(f"  {kind:5s} precision {p:.4f}  recall {r:.4f}  (gold statements)")
    by_span = {(str(row), a, b): k for row, a, b, k in kinds}
    end_to_end = []  # each predicted statement that matches a gold one, against that one's kind
    for key, spans in gold.items():
        for s in split_statements(notes[int(key)]):
            best = max(spans, key=lambda g, s=s: iou(g, (s.start, s.end)))
            if iou(best, (s.start, s.end)) >= 0.5:
                end_to_end.append((by_span[(key, *best)], statement_kind(s.text).kind))
    for kind, (p, r) in kind_scores(end_to_end).items():
        print(f"  {kind:5s} precision {p:.4f}  recall {r:.4f}  (predicted statements, end to end)")


def measure_shared(data: Path, splitters: dict[str, Splitter]) -> None:
    for name in ("asdc_food_requests.csv", "livedoor_titles.csv"):
        path = data / name
        if not path.exists():
            print(f"  {name}: not found, skipped")
            continue
        with open(path, encoding="utf-8", newline="") as fh:
            texts = [r["text"] for r in csv.DictReader(fh) if r["text"].strip()]
        for sname, split in splitters.items():
            share = sum(len(split(t)) > 1 for t in texts) / len(texts)
            print(f"  {name:24s} {sname:24s} split into >1 statement: {share:.4f} of {len(texts)}")
        voice = sum(statement_kind(unicodedata.normalize("NFKC", t)).kind == "voice" for t in texts) / len(texts)
        print(f"  {name:24s} whole texts called voice: {voice:.4f}")


def measure_composite(data: Path, seeds: tuple[int, ...] = (1, 2, 3)) -> None:
    """Segmentation of composite texts (bench.composite): each joined source text is one gold
    statement; a source text of several sentences is then cut in several, so this is a floor."""
    from bench.composite import SOURCES, _read, compose

    for name in SOURCES:
        if not (data / name).exists():
            continue
        rows = _read(data / name)
        for seed in seeds:
            comps = compose(rows, seed)
            gold = {str(i): [(a, b) for a, b, _ in c["parts"]] for i, c in enumerate(comps)}
            pred = {str(i): ours(c["text"]) for i, c in enumerate(comps)}
            rec, prec = segmentation(gold, pred)
            print(
                f"  composite {name:24s} seed {seed}: {len(comps)} texts, gold matched {rec:.4f}  "
                f"predicted matched {prec:.4f}"
            )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--splitters", choices=["ours", "all"], default="ours")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args(argv)
    splitters: dict[str, Splitter] = {"voc.statements": ours}
    if args.splitters == "all":
        splitters.update(library_splitters())
    measure_sample(splitters)
    measure_shared(args.shared, splitters)
    measure_composite(args.shared)


if __name__ == "__main__":
    main()
