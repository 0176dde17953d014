"""The insights stage: fill each theme row's trend, win/loss, segments and competitors."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from voc.insights import _tables as insights

if TYPE_CHECKING:
    import pandas as pd

    from voc.report.model import ThemeRow

__all__ = ["theme_insights"]

_OUTCOME = "\x00outcome"  # the mapped outcome, beside the export's columns (no column can have this name)


def _plain(value: Any) -> Any:
    """JSON-friendly: numpy scalars to Python, NaN/inf to None."""
    import numpy as np

    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def theme_insights(
    rows: list[ThemeRow],
    kept: pd.DataFrame,
    frame: pd.DataFrame,
    long: pd.DataFrame,
    *,
    date_column: str | None = None,
    outcome_column: str | None = None,
    segment_columns: Sequence[str] = (),
    competitor_column: str | None = None,
    outcomes: pd.Series | None = None,
    recent_months: int = 3,
    min_count: int = 20,
    previous: pd.DataFrame | None = None,
    previous_n_kept: int = 0,
    key: str = "theme_id",
) -> dict[str, Any]:
    """Fill the insight fields of *rows* in place; returns ``months`` and ``changes`` for the report.

    *kept* are the analysed records (``row`` and the configured columns); *long* is the long table
    of units (:func:`voc.units.unit_themes`: ``row`` and *key*, the reported theme or sub-theme
    ids); every figure counts distinct rows (deals), however many of a row's units hold a theme
    (:func:`voc.units.deal_themes`); *frame* is every read record inside the window (for
    win/loss, which counts deals without text too; needs ``row`` and *outcome_column*). Each
    insight needs its column: *date_column* (``trend``, ``emerging``, ``months``), *outcome_column*
    (``winloss``), *segment_columns* (``segments``), *competitor_column* (``competitors``).
    *outcomes* (``won`` / ``lost`` / ``open`` per row of *frame*, :func:`voc.outcomes.map_outcomes`)
    says how to read *outcome_column*; without it only 受注 and 失注 count as closed.
    *previous* is the previous run's themes (``reported_as``, ``size``, ``label``) for ``changes``.
    NaN in ``winloss`` / ``segments`` dicts becomes ``None``. *key* is the rows' id attribute
    (``subtheme_id`` for :class:`~voc.report.model.SubthemeRow`).
    """
    from voc.units import deal_themes

    docs = deal_themes(long, kept, key)
    by_id = {getattr(r, key): r for r in rows}
    out: dict[str, Any] = {"months": [], "changes": {}}
    if date_column:
        trend = insights.monthly_trend(docs, date_column)
        out["months"] = sorted(set(trend["month"]))
        for tid, part in trend.groupby("theme_id"):
            if int(tid) in by_id:
                by_id[int(tid)].trend = [(m, int(c), float(s)) for m, c, s in zip(part["month"], part["count"], part["share"], strict=True)]
        em = insights.emerging_themes(docs, date_column, recent_months=recent_months)
        for tid, flag in zip(em["theme_id"], em["emerging"], strict=True):
            if int(tid) in by_id and hasattr(by_id[int(tid)], "emerging"):
                by_id[int(tid)].emerging = bool(flag)
    if outcome_column:
        theme_of_row = dict(zip(docs["row"], docs["theme_id"], strict=True))
        deals = frame.assign(theme_id=[int(theme_of_row.get(r, -1)) for r in frame["row"]])
        if outcomes is not None:
            deals = deals.assign(**{_OUTCOME: outcomes.to_numpy()})
            wl = insights.win_loss(deals, _OUTCOME, won="won", lost="lost", min_count=min_count)
        else:
            wl = insights.win_loss(deals, outcome_column, min_count=min_count)
        for rec in wl.to_dict("records"):
            tid = int(rec.pop("theme_id"))
            if tid in by_id:
                by_id[tid].winloss = {k: _plain(v) for k, v in rec.items()}
    if segment_columns:
        seg = insights.segment_lift(docs, list(segment_columns))
        for rec in seg.to_dict("records"):
            tid = int(rec.pop("theme_id"))
            if tid in by_id:
                by_id[tid].segments.append({k: _plain(v) for k, v in rec.items()})
    if competitor_column:
        comp = insights.competitor_mentions(docs, competitor_column)
        for tid, name, count, _ in comp.itertuples(index=False):
            if int(tid) in by_id:
                by_id[int(tid)].competitors.append((str(name), int(count)))
    if previous is not None:
        import pandas as pd

        prev = previous.groupby("reported_as", as_index=False).agg(size=("size", "sum"), label=("label", "first"))
        prev = prev.rename(columns={"reported_as": "theme_id"})
        current = pd.DataFrame([(r.theme_id, r.size, r.status) for r in rows], columns=["theme_id", "size", "status"])
        out["changes"] = insights.compare_runs(current, prev, n_current=int(docs["row"].nunique()),
                                               n_previous=previous_n_kept)
    return out
