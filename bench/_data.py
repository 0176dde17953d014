"""Synthetic CRM exports at chosen sizes, from the seeded corpus generator, cached on disk."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("voc_corpus_generate", ROOT / "corpus" / "generate.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def export(n: int, seed: int, cache: Path) -> tuple[Path, Path]:
    """Path of an export with *n* deals (one call note each, a lost reason for lost deals) and of
    its ground truth; generated with ``corpus/generate.py`` once per (n, seed) and cached."""
    cache.mkdir(parents=True, exist_ok=True)
    csv = cache / f"crm_{n}_s{seed}.csv"
    truth = cache / f"crm_{n}_s{seed}.truth.csv"
    if not (csv.exists() and truth.exists()):
        gen = _generator()
        rows, truth_rows = gen.generate(n, seed)
        tmp_csv, tmp_truth = csv.with_suffix(".tmp-csv"), truth.with_suffix(".tmp-csv")
        gen.write(rows, truth_rows, str(tmp_csv), str(tmp_truth))
        tmp_csv.replace(csv)
        tmp_truth.replace(truth)
    return csv, truth


def notes(n: int, seed: int, cache: Path) -> list[str]:
    """*n* cleaned call notes / lost reasons (for the tokenizer benchmark)."""
    import csv as _csv

    from voc.clean import normalize_text

    path, _ = export(max(1000, n), seed, cache)
    out: list[str] = []
    with open(path, encoding="utf-8") as fh:
        for row in _csv.DictReader(fh):
            for col in ("call_note", "lost_reason"):
                if row[col]:
                    out.append(normalize_text(row[col]))
            if len(out) >= n:
                break
    return out[:n]
