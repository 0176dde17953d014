"""The command line and input shared by the quality scripts (``bench.cluster_sweep``, ``bench.oracle``)."""

from __future__ import annotations

import argparse


def parser(prog: str, description: str) -> argparse.ArgumentParser:
    """A parser for a labeled file: INPUT, its text and label columns (the labels possibly in
    another file), labels to ignore, and the seeds."""
    p = argparse.ArgumentParser(prog=prog, description=description)
    p.add_argument("input")
    p.add_argument("--text-column", required=True)
    p.add_argument("--label-column", required=True)
    p.add_argument("--label-file")
    p.add_argument("--ignore-label", action="append", default=[])
    p.add_argument("--seeds", default="0,1,2")
    return p


def read(a: argparse.Namespace) -> tuple[list[str], list[str]]:
    """The labeled texts the parsed arguments *a* name, normalized as ``voc report`` does."""
    from voc.clean import normalize_text
    from voc.evaluate import read_labeled

    texts, labels = read_labeled(
        a.input, text_column=a.text_column, label_column=a.label_column, label_file=a.label_file,
        ignore_labels=a.ignore_label,
    )
    return [normalize_text(t) for t in texts], list(labels)
