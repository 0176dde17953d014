"""Gold label sets and the scores of several topics per text (issue #27).

A label cell may hold several labels joined by a separator (``a|b``): the text is about each of
them. :func:`parse_label_sets` turns the cells into sets (a malformed cell is an
:class:`~voc.errors.InputError` naming the file, row and column); :func:`read_statement_gold` reads
a file of gold statements (``row``, ``start``, ``end``, ``label``: offsets into the text cell, as
``python -m bench.composite`` writes them); :func:`topic_scores` and :func:`statement_scores` score
one fit's units against them.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from voc.errors import ConfigError, InputError
from voc.evaluate._table import MULTI  # the table's columns for several topics per text

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = ["parse_label_sets", "read_statement_gold", "topic_scores", "statement_scores", "MULTI", "Part"]

#: A gold statement: (text index, start, end, label), offsets into the text as read.
Part = tuple[int, int, int, str]


def parse_label_sets(labels: Sequence[str], sep: str = "|", *, path: str | None = None, column: str | None = None,
                     rows: Sequence[int] | None = None) -> list[frozenset[str]]:
    """Each label cell as a set of labels (``"a|b"`` → ``{"a", "b"}``; a cell without *sep* is one label).

    A cell with an empty part (``a||b``, ``|a``, ``a|``, ``a| ``) is an :class:`InputError` naming
    *path*, the row (*rows*: the export's row of each cell, else its position) and *column*; an
    empty *sep* is a :class:`ConfigError`.
    """
    if not sep:
        raise ConfigError("--label-sep must not be empty; give the character that joins labels in a cell, e.g. '|'")
    out = []
    for i, cell in enumerate(labels):
        parts = [p.strip() for p in str(cell).split(sep)]
        if any(not p for p in parts):
            raise InputError(
                f"label {cell!r} has an empty part between the separators {sep!r}", path=path,
                row=int(rows[i]) if rows is not None else i, column=column,
                hint=f"write labels as a{sep}b; if {sep!r} belongs to the labels themselves, choose another --label-sep",
            )
        out.append(frozenset(parts))
    return out


def read_statement_gold(path: str, rows: Sequence[int], texts: Sequence[str]) -> list[Part]:
    """The gold statements of *path* (columns ``row``, ``start``, ``end``, ``label``; ``row`` the
    export's 0-based data row) as :data:`Part` over the texts read (*rows*: the export's row of each
    text). A row not among the texts read, or offsets outside its text, are an :class:`InputError`."""
    import pandas as pd

    try:
        gold = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError("statement file does not exist", path=str(path)) from None
    for column in ("row", "start", "end", "label"):
        if column not in gold.columns:
            raise InputError(f"no such column; available: {', '.join(gold.columns)}", path=str(path), column=column)
    where = {int(r): i for i, r in enumerate(rows)}
    out: list[Part] = []
    for line, (r, a, b, label) in enumerate(zip(gold["row"], gold["start"], gold["end"], gold["label"], strict=True)):
        try:
            r_, a_, b_ = int(r), int(a), int(b)
        except ValueError:
            raise InputError(f"row, start and end must be integers, got {r!r}, {a!r}, {b!r}", path=str(path),
                             row=line) from None
        if r_ not in where:
            raise InputError(f"row {r_} is not a labeled text of the input", path=str(path), row=line, column="row")
        if not 0 <= a_ < b_ <= len(texts[where[r_]]):
            raise InputError(f"offsets {a_}-{b_} are outside the text (length {len(texts[where[r_]])})",
                             path=str(path), row=line, column="start")
        out.append((where[r_], a_, b_, label.strip()))
    return out


def _overlap(a: int, b: int, part: Part) -> int:
    return min(b, part[2]) - max(a, part[1])


def _unit_gold(units: pd.DataFrame, parts: Mapping[int, list[Part]]) -> list[str | None]:
    """The gold label of each unit: that of the gold statement of its text it overlaps most (``None``:
    none overlaps)."""
    out: list[str | None] = []
    for r, a, b in zip(units["row"].tolist(), units["start"].tolist(), units["end"].tolist(), strict=True):
        best = max(parts.get(int(r), []), key=lambda p: _overlap(a, b, p), default=None)
        out.append(best[3] if best is not None and _overlap(a, b, best) > 0 else None)
    return out


def topic_scores(long: pd.DataFrame, gold: Sequence[frozenset[str]], units: pd.DataFrame,
                 parts: Sequence[Part] | None = None) -> dict[str, float]:
    """Topic recall, topic precision and the one-theme ceiling of one fit.

    *long* is the long table (:func:`voc.units.unit_themes`: ``unit``, ``row`` (the text's index),
    ``theme_id``); *units* the table of units (``row``, ``start``, ``end``). Each theme reads as the
    gold label most of its units carry (a unit carries the label of the gold statement it overlaps
    most when *parts* are given, else every label of its text); a text's topics are the labels of
    its themes (``theme_ids`` of :func:`voc.units.main_themes`). Recall: share of a text's gold
    labels among its topics, averaged over the texts; precision: share of its topics that are gold,
    over the texts with a topic; ceiling: 1 / its number of labels, averaged (what one right theme
    per text reaches).
    """
    from voc.units import main_themes

    by_text = _by_text(parts)
    unit_gold = _unit_gold(units, by_text) if parts is not None else None
    votes: dict[int, Counter[str]] = {}
    for i, (r, t) in enumerate(zip(long["row"].tolist(), long["theme_id"].tolist(), strict=True)):
        if t < 0:
            continue
        carried = [unit_gold[i]] if unit_gold is not None and unit_gold[i] is not None else (
            [] if unit_gold is not None else sorted(gold[int(r)]))
        votes.setdefault(int(t), Counter()).update(carried)
    label_of = {t: c.most_common(1)[0][0] for t, c in votes.items() if c}
    recall, precision = [], []
    for r, ids in zip(*_theme_ids(main_themes, long, len(gold)), strict=True):
        predicted = {label_of[t] for t in ids if t in label_of}
        hit = len(gold[r] & predicted)
        recall.append(hit / len(gold[r]))
        if predicted:
            precision.append(hit / len(predicted))
    return {"topic_recall": statistics.mean(recall), "topic_precision": statistics.mean(precision or [0.0]),
            "one_theme_ceiling": statistics.mean(1 / len(g) for g in gold)}


def _theme_ids(main_themes: Any, long: pd.DataFrame, n: int) -> tuple[list[int], list[list[int]]]:
    """Each text's index and its themes (``theme_ids`` of :func:`voc.units.main_themes`)."""
    table = main_themes(long, range(n), {})
    return table["row"].tolist(), [[int(t) for t in s.split("|") if t] for s in table["theme_ids"]]


def _by_text(parts: Sequence[Part] | None) -> dict[int, list[Part]]:
    out: dict[int, list[Part]] = {}
    for p in parts or []:
        out.setdefault(p[0], []).append(p)
    return out


def statement_scores(units: pd.DataFrame, themes: np.ndarray, parts: Sequence[Part]) -> dict[str, float]:
    """Statement NMI and ARI and segmentation of one fit against the gold statements *parts*.

    *units* is every unit (``row`` the text's index, ``start``, ``end``, ``kind``) and *themes* the
    theme of each (``-1``: none, log units included). NMI and ARI are over the voice units that
    overlap a gold statement, each read as the label of the one it overlaps most; segmentation is
    the share of gold statements that a unit of their text matches at IoU ≥ 0.5 (characters).
    ``voice_precision``, ``voice_recall``, ``log_precision``, ``log_recall``: every unit that
    overlaps a gold statement is read as that statement's kind (gold label ``log``: the rep's log,
    any other: voice) against the kind voc told it; NaN where a kind has no unit to count.
    """
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    by_text = _by_text(parts)
    unit_gold = _unit_gold(units, by_text)
    voice = (units["kind"] == "voice").tolist() if "kind" in units.columns else [True] * len(units)
    pairs = [(g, int(t)) for g, t, v in zip(unit_gold, themes, voice, strict=True) if g is not None and v]
    spans: dict[int, list[tuple[int, int]]] = {}
    for r, a, b in zip(units["row"].tolist(), units["start"].tolist(), units["end"].tolist(), strict=True):
        spans.setdefault(int(r), []).append((int(a), int(b)))
    matched = 0
    for r, a, b, _ in parts:
        best = max((_iou(a, b, x, y) for x, y in spans.get(r, [])), default=0.0)
        matched += best >= 0.5
    out = {"segmentation": matched / len(parts) if parts else float("nan")}
    told = units["kind"].tolist() if "kind" in units.columns else ["voice"] * len(units)
    out.update(_kind_scores([("log" if g == "log" else "voice", k) for g, k in zip(unit_gold, told, strict=True)
                             if g is not None]))
    if pairs:
        g, t = zip(*pairs, strict=True)
        out.update(stmt_nmi=normalized_mutual_info_score(g, t), stmt_ari=adjusted_rand_score(g, t))
    return out


def _kind_scores(pairs: Sequence[tuple[str, str]]) -> dict[str, float]:
    """``voice_precision`` … ``log_recall`` from (gold kind, told kind) pairs; NaN without a denominator."""
    out = {}
    for kind in ("voice", "log"):
        hit = sum(1 for g, t in pairs if g == kind and t == kind)
        told = sum(1 for _, t in pairs if t == kind)
        gold = sum(1 for g, _ in pairs if g == kind)
        out[f"{kind}_precision"] = hit / told if told else float("nan")
        out[f"{kind}_recall"] = hit / gold if gold else float("nan")
    return out


def _iou(a: int, b: int, x: int, y: int) -> float:
    inter = max(0, min(b, y) - max(a, x))
    union = max(b, y) - min(a, x)
    return inter / union if union > 0 else 0.0
