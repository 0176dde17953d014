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


def export(n: int, seed: int, cache: Path, *, distinct: bool = False) -> tuple[Path, Path]:
    """Path of an export with *n* deals (one call note each, a lost reason for lost deals) and of
    its ground truth; generated with ``corpus/generate.py`` once per (n, seed) and cached. With
    *distinct*, the same export with every statement made distinct (:func:`distinct_statements`)."""
    if distinct:
        return _distinct_export(n, seed, cache)
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


def distinct_statements(text: str, tag: str) -> str:
    """*text* with a mark (*tag* and k in katakana) at the end of its k-th statement (:func:`voc.statements.split_statements`):
    the generator draws statements from templates, so most repeat (1,764 distinct voice statements
    among 240,102 at 100k notes), and voc cleans, tells and embeds each distinct text once; real
    notes repeat less. The marks make every statement distinct, the worst case for that, and leave
    the statements where they were (the first 3,000 deals: the same statements in all but 12 of
    their 4,868 texts, where a contact line after a slash is cut once more)."""
    from voc.statements import split_statements

    out = text
    for k, st in reversed(list(enumerate(split_statements(text)))):
        at = st.start + len(st.text.rstrip("。｡！？!?.．】"))  # before its sentence end or 】, which cut
        out = out[:at] + f"{tag}{k}".translate(_KANA_DIGITS) + out[at:]
    return out


#: Digits written as katakana: a mark that no splitting rule reads (a bracket or a Latin letter
#: before ``.`` would change where statements end).
_KANA_DIGITS = str.maketrans("0123456789cl", "アイウエオカキクケコサシ")


def _distinct_export(n: int, seed: int, cache: Path) -> tuple[Path, Path]:
    import csv as _csv

    base, truth = export(n, seed, cache)
    out = cache / f"crm_{n}_s{seed}_distinct.csv"
    if not out.exists():
        tmp = out.with_suffix(".tmp-csv")
        with open(base, encoding="utf-8", newline="") as src, open(tmp, "w", encoding="utf-8", newline="") as dst:
            reader = _csv.DictReader(src)
            writer = _csv.DictWriter(dst, fieldnames=reader.fieldnames or [])
            writer.writeheader()
            for i, row in enumerate(reader):
                for col in ("call_note", "lost_reason"):
                    if row.get(col):
                        row[col] = distinct_statements(row[col], f"{i}{col[0]}")  # c / l: the column
                writer.writerow(row)
        tmp.replace(out)
    return out, truth


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
