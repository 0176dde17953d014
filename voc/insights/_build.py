"""The insights stage: one set of tables, keyed by theme id and level, for themes and sub-themes.

:func:`insight_tables` computes trend, emerging flag, win/loss, segments and competitors of every
theme (level 0) and sub-theme (level 1) from the long table of units; the report's rows are built
from them (:meth:`InsightTables.fields`), nothing is filled in place. :func:`theme_changes` is what
changed since the previous run.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from voc.insights import _tables as insights
from voc.insights._winrate import win_loss

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["InsightTables", "insight_tables", "theme_changes", "LEVEL_KEYS"]

_OUTCOME = "\x00outcome"  # the mapped outcome, beside the export's columns (no column can have this name)

#: The long table's column of each level: 0 themes, 1 sub-themes.
LEVEL_KEYS = {0: "theme_id", 1: "subtheme_id"}

#: The insight fields of a report row of each level (:class:`~voc.report.model.ThemeRow`,
#: :class:`~voc.report.model.SubthemeRow`).
_ROW_FIELDS = {0: ("trend", "emerging", "winloss", "segments", "competitors"), 1: ("trend", "winloss", "segments")}


def _plain(value: Any) -> Any:
    """JSON-friendly: numpy scalars to Python, NaN/inf to None."""
    import numpy as np

    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


@dataclass
class InsightTables:
    """Insights of one run; every table has ``theme_id`` and ``level`` (0 theme, 1 sub-theme) first.

    Attributes
    ----------
    trend : :func:`voc.insights.monthly_trend` (``month``, ``count``, ``total``, ``share``)
    emerging : :func:`voc.insights.emerging_themes`
    winloss : :func:`voc.insights.win_loss`
    segments : :func:`voc.insights.segment_lift`
    competitors : :func:`voc.insights.competitor_mentions`
    months : every month of the themes' trend, ``"YYYY-MM"``
    """

    trend: pd.DataFrame
    emerging: pd.DataFrame
    winloss: pd.DataFrame
    segments: pd.DataFrame
    competitors: pd.DataFrame
    months: list[str] = field(default_factory=list)

    def _of(self, table: pd.DataFrame, theme_id: int, level: int) -> list[dict[str, Any]]:
        """The rows of *table* for one theme (or sub-theme) and level, as records without
        ``theme_id`` and ``level``, in the table's order. The whole table is turned into records
        once (a report asks for every theme and sub-theme: a DataFrame per group and its records
        took a second at 30,000 notes' statements)."""
        if table.empty:
            return []
        groups = self.__dict__.setdefault("_groups", {}).get(id(table))
        if groups is None:
            columns = [c for c in table.columns if c not in ("theme_id", "level")]
            groups = {}
            for key, rec in zip(zip(table["theme_id"].tolist(), table["level"].tolist(), strict=True),
                                table[columns].to_dict("records"), strict=True):
                groups.setdefault(key, []).append(rec)
            self.__dict__["_groups"][id(table)] = groups
        return groups.get((theme_id, level), [])

    def fields(self, theme_id: int, level: int = 0) -> dict[str, Any]:
        """The insight fields of one theme's (level 0) or sub-theme's (level 1) report row, as
        keyword arguments of :class:`~voc.report.model.ThemeRow` / ``SubthemeRow``; a field
        without data is left out (the row's default: empty)."""
        out: dict[str, Any] = {}
        wanted = _ROW_FIELDS[level]
        trend = self._of(self.trend, theme_id, level)
        if trend:
            out["trend"] = [(r["month"], int(r["count"]), float(r["share"])) for r in trend]
        em = self._of(self.emerging, theme_id, level)
        if "emerging" in wanted and em:
            out["emerging"] = bool(em[0]["emerging"])
        wl = self._of(self.winloss, theme_id, level)
        if wl:
            out["winloss"] = {k: _plain(v) for k, v in wl[0].items()}
        seg = self._of(self.segments, theme_id, level)
        if seg:
            out["segments"] = [{k: _plain(v) for k, v in rec.items()} for rec in seg]
        comp = self._of(self.competitors, theme_id, level)
        if "competitors" in wanted and comp:
            out["competitors"] = [(str(r["competitor"]), int(r["count"])) for r in comp]
        return out


def _with_level(table: pd.DataFrame, level: int) -> pd.DataFrame:
    if table.empty:
        return table
    table = table.copy()
    table.insert(1, "level", level)
    return table


def _level_tables(
    docs: pd.DataFrame, frame: pd.DataFrame, *, date_column: str | None, outcome_column: str | None,
    segment_columns: Sequence[str], competitor_column: str | None, outcomes: pd.Series | None, recent_months: int,
    min_count: int, compared: pd.DataFrame | None = None,
) -> dict[str, pd.DataFrame]:
    """The tables of one level; *docs* one row per deal and theme of that level (``theme_id``);
    *compared* the same from the units a win-rate comparison may use (default: *docs*)."""
    out: dict[str, pd.DataFrame] = {}
    if date_column:
        out["trend"] = insights.monthly_trend(docs, date_column)
        out["emerging"] = insights.emerging_themes(docs, date_column, recent_months=recent_months)
    if outcome_column:
        # every deal in the window once per theme it mentions (-1: none, or no text)
        deals = frame.assign(**({_OUTCOME: outcomes.to_numpy()} if outcomes is not None else {}))
        deals = deals.drop(columns=["theme_id"], errors="ignore").merge(
            (docs if compared is None else compared)[["row", "theme_id"]], on="row", how="left", sort=False)
        deals["theme_id"] = deals["theme_id"].fillna(-1).astype(int)
        if outcomes is not None:
            out["winloss"] = win_loss(deals, _OUTCOME, min_count=min_count)  # won / lost / open read as themselves
        else:
            out["winloss"] = win_loss(deals, outcome_column, min_count=min_count)
    if segment_columns:
        out["segments"] = insights.segment_lift(docs, list(segment_columns))
    if competitor_column:
        out["competitors"] = insights.competitor_mentions(docs, competitor_column)
    return out


def insight_tables(
    long: pd.DataFrame,
    kept: pd.DataFrame,
    frame: pd.DataFrame,
    *,
    date_column: str | None = None,
    outcome_column: str | None = None,
    segment_columns: Sequence[str] = (),
    competitor_column: str | None = None,
    outcomes: pd.Series | None = None,
    recent_months: int = 3,
    min_count: int = 20,
    excluded_columns: Sequence[str] = (),
) -> InsightTables:
    """The insights of every theme and sub-theme.

    *long* is the long table of units (:func:`voc.units.unit_themes`: ``row``, ``theme_id``,
    ``subtheme_id``); every figure counts distinct rows (deals), however many of a row's units
    hold a theme (:func:`voc.units.deal_themes`). *kept* are the analysed records (``row`` and the
    configured columns); *frame* is every read record inside the window (for win/loss, which
    counts deals without text too; needs ``row`` and *outcome_column*). Each insight needs its
    column: *date_column* (trend, emerging, months), *outcome_column* (win/loss), *segment_columns*
    (segments), *competitor_column* (competitors). *outcomes* (``won`` / ``lost`` / ``open`` per
    row of *frame*, :func:`voc.read.outcomes.map_outcomes`) says how to read *outcome_column*; without
    it the column is read with the default vocabulary of :mod:`voc.read.outcomes`. Each level is tested as its own family
    (Benjamini–Hochberg over the themes, over the sub-themes); sub-themes only when some theme is split.

    When *long* has ``kind`` and ``column`` (statement units), only the customer's voice counts
    (``kind == "voice"``: the rep's log never enters a figure), and a deal mentions a theme *for
    the win rate* only through units of text columns not in *excluded_columns*
    (:func:`voc.insights.one_outcome_columns`: a column written only on lost deals would make
    every theme in it look like a cause of losing).
    """
    import pandas as pd

    from voc.units import deal_themes

    levels = [0] + ([1] if "subtheme_id" in long.columns and (long["subtheme_id"] >= 0).any() else [])
    parts: dict[str, list[pd.DataFrame]] = {k: [] for k in ("trend", "emerging", "winloss", "segments", "competitors")}
    months: list[str] = []
    # only the columns a figure reads: every table below copies its rows, and the texts are most
    # of their bytes (on 100k call notes the copies of the text columns took 2 s)
    wanted = ["row", "theme_label",
              *[c for c in (date_column, outcome_column, competitor_column, *segment_columns) if c]]
    kept = kept[[c for c in dict.fromkeys(wanted) if c in kept.columns]]
    frame = frame[[c for c in dict.fromkeys(["row", outcome_column or "row"]) if c in frame.columns]]
    if "kind" in long.columns:
        long = long[long["kind"] == "voice"]
    usable = long[~long["column"].isin(list(excluded_columns))] if excluded_columns and "column" in long else None
    for level in levels:
        docs = deal_themes(long, kept, LEVEL_KEYS[level])
        compared = deal_themes(usable, kept, LEVEL_KEYS[level]) if usable is not None else None
        tables = _level_tables(docs, frame, date_column=date_column, outcome_column=outcome_column,
                               segment_columns=segment_columns, competitor_column=competitor_column,
                               outcomes=outcomes, recent_months=recent_months, min_count=min_count,
                               compared=compared)
        if level == 0 and "trend" in tables:
            months = sorted(set(tables["trend"]["month"]))
        for name, table in tables.items():
            parts[name].append(_with_level(table, level))
    merged = {k: pd.concat([t for t in v if not t.empty], ignore_index=True) if any(not t.empty for t in v)
              else pd.DataFrame() for k, v in parts.items()}
    return InsightTables(**merged, months=months)


def theme_changes(
    current: pd.DataFrame, previous: pd.DataFrame | None, *, n_current: int, previous_n_kept: int
) -> dict[str, list[Any]]:
    """What changed since the previous run (:func:`voc.insights.compare_runs`): *current* the
    themes (``theme_id``, ``size``, ``status``), *previous* the previous run's themes
    (``reported_as``, ``size``, ``label``; ``None``: no previous run, no changes), *n_current* the
    analysed deals (distinct rows)."""
    if previous is None:
        return {}
    prev = previous.groupby("reported_as", as_index=False).agg(size=("size", "sum"), label=("label", "first"))
    prev = prev.rename(columns={"reported_as": "theme_id"})
    return insights.compare_runs(current[["theme_id", "size", "status"]], prev, n_current=n_current,
                                 n_previous=previous_n_kept)
