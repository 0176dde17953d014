"""From units back to deals: each row's themes, the mentions table, counts, the rep's log, quotes in
their notes (issue #27).

Every function reads the long table (:func:`voc.units.unit_themes`) or the table of units and
returns plain tables; the pipeline turns them into the report's rows and files.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["main_themes", "mention_table", "theme_counts", "co_themes", "log_rows", "quote_context",
           "LOG_LABELS", "MENTION_COLUMNS"]

#: Columns of ``mentions.csv`` after ``row`` and the id column, in order.
MENTION_COLUMNS = ["column", "start", "end", "text", "kind", "theme_id", "theme_label", "subtheme_id", "subtheme_label"]

#: Japanese names of the rep's-log cues (:mod:`voc.statements`), for marketers; cues that share a
#: name are one section of the log.
LOG_LABELS: dict[str, str] = {
    "reading": "担当者の所感",
    "plan": "次回アクション・予定",
    "next_step": "次回アクション・予定",
    "outcome": "結果（受注・失注・契約）",
    "date_line": "日付・経緯",
    "visit": "訪問・商談の記録",
    "attendees": "同席者・窓口",
    "documents": "資料・送付物",
    "done": "対応済みの事項",
    "contact": "連絡先・連絡",
}
_OTHER_LOG = "その他の記録"


def main_themes(long: pd.DataFrame, rows: Sequence[int], names: Mapping[int, str],
                sub_names: Mapping[int, str] | None = None) -> pd.DataFrame:
    """One line per row of *rows* (the kept rows, in order): ``row``, ``theme_id``, ``theme_label``,
    ``theme_ids`` and, with *sub_names*, ``subtheme_id`` and ``subtheme_label``.

    ``theme_ids`` are all the themes of the row's voice statements, ascending, ``|``-joined
    (empty: none). ``theme_id`` is the row's main theme: the theme most of its voice statements
    carry; a tie goes to the theme of the earliest of them (in the order of the text columns,
    then of the text). ``-1`` (``未分類``) when no statement of the row has a theme (the row holds
    only the rep's log, or its statements were left unassigned). The sub-theme is that of the
    first statement of the main theme.
    """
    import pandas as pd

    themed = long[long["theme_id"] >= 0]
    counts = themed.groupby(["row", "theme_id"], sort=False).agg(n=("unit", "size"), first=("unit", "min"),
                                                                  sub=("subtheme_id", "first")).reset_index()
    main = counts.sort_values(["row", "n", "first"], ascending=[True, False, True], kind="stable") \
        .drop_duplicates("row").set_index("row")
    of_row: dict[int, set[int]] = {}
    for r, t in zip(themed["row"].tolist(), themed["theme_id"].tolist(), strict=True):
        of_row.setdefault(int(r), set()).add(int(t))
    out = pd.DataFrame({"row": list(rows)})
    out["theme_id"] = out["row"].map(main["theme_id"]).fillna(-1).astype(int)
    out["theme_label"] = [names.get(int(t), "未分類") for t in out["theme_id"]]
    out["theme_ids"] = ["|".join(str(t) for t in sorted(of_row.get(int(r), ()))) for r in out["row"].tolist()]
    if sub_names is not None:
        out["subtheme_id"] = out["row"].map(main["sub"]).fillna(-1).astype(int)
        out["subtheme_label"] = [sub_names.get(int(s), "") for s in out["subtheme_id"]]
    return out


def mention_table(units: pd.DataFrame, long: pd.DataFrame, names: Mapping[int, str],
                  sub_names: Mapping[int, str] | None = None) -> pd.DataFrame:
    """``mentions.csv`` without the id column: one line per unit (voice and log): ``row`` and
    :data:`MENTION_COLUMNS`; ``start`` and ``end`` are offsets into ``column``'s cell as the export
    holds it, ``text`` is the statement cleaned and masked."""
    out = units[["row", "column", "start", "end", "text", "kind"]].copy()
    out["theme_id"] = long["theme_id"].to_numpy()
    out["theme_label"] = [names.get(int(t), "") if t >= 0 else "" for t in out["theme_id"]]
    out["subtheme_id"] = long["subtheme_id"].to_numpy()
    subs = sub_names or {}
    out["subtheme_label"] = [subs.get(int(s), "") if s >= 0 else "" for s in out["subtheme_id"]]
    return out[["row", *MENTION_COLUMNS]]


def theme_counts(long: pd.DataFrame, key: str = "theme_id") -> pd.DataFrame:
    """Per theme (or sub-theme, *key* ``subtheme_id``) of the long table: ``mentions`` (its
    statements) and ``deals`` (distinct rows with at least one of them); indexed by the id."""
    themed = long[long[key] >= 0]
    return themed.groupby(key).agg(mentions=("unit", "size"), deals=("row", "nunique"))


def co_themes(long: pd.DataFrame, names: Mapping[int, str], *, top: int = 5) -> dict[int, list[dict[str, Any]]]:
    """The themes mentioned with each theme: per theme id, up to *top* other themes by the deals
    that mention both (then by id), as ``{theme_id, label, deals}``."""
    pairs = long.loc[long["theme_id"] >= 0, ["row", "theme_id"]].drop_duplicates()
    both = pairs.merge(pairs, on="row", suffixes=("", "_with"))
    both = both[both["theme_id"] != both["theme_id_with"]]
    counts = both.groupby(["theme_id", "theme_id_with"]).size().reset_index(name="deals")
    counts = counts.sort_values(["theme_id", "deals", "theme_id_with"], ascending=[True, False, True])
    out: dict[int, list[dict[str, Any]]] = {}
    for t, group in counts.groupby("theme_id", sort=False):
        out[int(t)] = [{"theme_id": int(w), "label": names.get(int(w), ""), "deals": int(d)}
                       for w, d in zip(group["theme_id_with"][:top], group["deals"][:top], strict=True)]
    return out


def log_rows(units: pd.DataFrame, *, examples: int = 5) -> list[dict[str, Any]]:
    """The rep's log by section (:data:`LOG_LABELS`; unknown and custom cues: その他の記録), largest
    first: ``{cue, label, statements, deals, examples}``, *examples* the first log units of the
    section as ``(row, text)`` (masked)."""
    log = units[units["kind"] == "log"]
    if not len(log):
        return []
    labels = log["cue"].map(LOG_LABELS).fillna(_OTHER_LOG)
    out = []
    for label, group in log.groupby(labels, sort=False):
        out.append({"cue": str(group["cue"].iloc[0]), "label": str(label), "statements": len(group),
                    "deals": int(group["row"].nunique()),
                    "examples": list(zip(group["row"].tolist()[:examples], group["text"].tolist()[:examples],
                                         strict=True))})
    return sorted(out, key=lambda r: (-r["statements"], r["label"]))


def quote_context(units: pd.DataFrame, *, width: int = 120) -> Callable[[Sequence[Any]], list[Any]]:
    """A function that gives quotes (:class:`voc.report.model.Quote`: ``row`` and ``text``, a unit's
    text) their statement's place in its note: ``column`` and the text of the same cell ``before``
    and ``after`` it (up to *width* characters each side).

    The context is made of the cell's other units (*units*: every statement, voice and log, already
    normalised and masked), joined by a space: nothing is masked again, so a quote's context costs
    a lookup (masking each quote's note anew took most of the render stage). What lies between
    statements (bullets, a non-answer such as 特になし) is not shown. A quote whose unit is not
    found is returned as it is."""
    cells: dict[tuple[int, str], list[tuple[int, str]]] = {}
    where: dict[tuple[int, str], tuple[str, int]] = {}
    for r, c, a, t in zip(units["row"].tolist(), units["column"].tolist(), units["start"].tolist(),
                          units["text"].tolist(), strict=True):
        cell = cells.setdefault((int(r), c), [])
        where.setdefault((int(r), t), (c, len(cell)))
        cell.append((int(a), t))

    def place(quotes: Sequence[Any]) -> list[Any]:
        out = []
        for q in quotes:
            hit = where.get((int(q.row), q.text))
            if hit is None:
                out.append(q)
                continue
            column, k = hit
            parts = [t for _, t in cells[(int(q.row), column)]]
            before = " ".join(parts[:k])[-width:]
            after = " ".join(parts[k + 1 :])[:width]
            out.append(dataclasses.replace(q, column=column, before=before, after=after))
        return out

    return place
