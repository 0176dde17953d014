"""Win and loss per theme: rates with and without the theme, its effect and impact with intervals,
and the text columns no comparison may use (issue #27: win rates that hold).

The definitions are in docs/insights.md: *share* = deals that mention a theme; *win rate with /
without* = won / (won + lost) among closed deals that do / do not mention it; *effect* = their
difference; *impact* = the overall win rate minus the win rate without the theme's deals.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from voc.insights._tables import (
    TOO_FEW,
    _first_of_row,
    _fisher_two_sided,
    _labelled,
    _theme_ids,
    benjamini_hochberg,
    wilson_interval,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["win_loss", "difference_interval", "one_outcome_columns"]


@_labelled
def win_loss(
    deals: pd.DataFrame,
    outcome_column: str,
    *,
    won_values: Sequence[str] | None = None,
    lost_values: Sequence[str] | None = None,
    open_values: Sequence[str] | None = None,
    min_count: int = 20,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """How each theme relates to winning and losing (Gong's win rate = won / (won + lost)).

    Needs ``theme_id`` and *outcome_column*, read as the report reads it
    (:func:`voc.read.outcomes.map_outcomes`): the CRMs' words for won and lost (受注, 成約, Closed Won,
    Closed Lost, …) plus *won_values* / *lost_values* / *open_values*, an org's own words (pass
    ``config.input.won_values`` etc. to match the report), which win over the defaults. A column
    already read (``outcome_as_read`` of :meth:`voc.pipeline.ReportResult.rows_with_themes`:
    won / lost / open) reads as itself. Open deals (進行中, unknown words, blanks) are left out.
    One row per theme; each row's dict (``row.to_dict()`` without
    ``theme_id``, NaN turned into ``None``, numpy scalars into Python ones) is what
    ``ThemeRow.winloss`` holds. Columns / keys:

    ``n_won``, ``n_lost``
        closed deals of the theme that were won / lost.
    ``share_won``, ``share_won_low``, ``share_won_high``
        share of the theme among all won deals, with its Wilson interval.
    ``share_lost``, ``share_lost_low``, ``share_lost_high``
        the same among all lost deals.
    ``n_with``, ``win_rate_with``, ``win_rate_with_low``, ``win_rate_with_high``
        closed deals mentioning the theme and their win rate with its Wilson interval.
    ``n_without``, ``win_rate_without``, ``win_rate_without_low``, ``win_rate_without_high``
        the same for closed deals not mentioning it (including deals without usable text).
    ``effect``, ``effect_low``, ``effect_high``
        ``win_rate_with - win_rate_without`` (a fraction: -0.12 = 12 points lower), with Newcombe's
        hybrid score interval (:func:`difference_interval`).
    ``impact``, ``impact_low``, ``impact_high``
        How much the overall win rate of closed deals moves because of the theme's deals: the
        overall win rate minus the win rate of the closed deals that do not mention the theme
        (Thematic's and Kapiche's impact; -0.03 = the theme's deals pull the overall rate down by
        3 points). It equals ``n_with / (n_with + n_without) * effect``, so its interval is the
        effect's scaled by the theme's share of closed deals.
    ``p_value``
        two-sided Fisher exact test of the 2×2 table (mentions × won/lost).
    ``q_value``
        Benjamini–Hochberg over all themes.
    ``enough``
        ``False`` when ``n_with`` or ``n_without`` is below *min_count*: then the rates, intervals,
        effect, p and q are NaN and ``note`` says :data:`TOO_FEW`.
    ``note``
        ``""`` or e.g. ``"件数が少なすぎます (n=12 < 20)"``.
    """
    import numpy as np
    import pandas as pd

    from voc.read.outcomes import map_outcomes

    outcome = map_outcomes(deals[outcome_column], won_values, lost_values, open_values).outcome
    is_closed = outcome.isin(["won", "lost"]).to_numpy()
    closed = deals[is_closed]
    is_won = (outcome[is_closed] == "won").to_numpy()
    first = _first_of_row(closed)  # a deal mentioning several themes counts once in the totals
    total_won, total_lost = int((is_won & first).sum()), int((~is_won & first).sum())
    theme = closed["theme_id"].to_numpy()
    records = [
        _theme_record(t, int(((theme == t) & is_won).sum()), int(((theme == t) & ~is_won).sum()), total_won,
                      total_lost, min_count=min_count, confidence=confidence)
        for t in _theme_ids(deals)
    ]
    out = pd.DataFrame(records)
    if out.empty:
        return out
    out.insert(out.columns.get_loc("enough"), "q_value", benjamini_hochberg(out["p_value"].to_numpy()))
    return out.replace({np.nan: math.nan})


def _theme_record(t: int, n_won: int, n_lost: int, total_won: int, total_lost: int, *, min_count: int,
                  confidence: float) -> dict[str, Any]:
    """One row of :func:`win_loss`: theme *t* with *n_won* / *n_lost* closed deals of
    *total_won* / *total_lost*."""
    o_won, o_lost = total_won - n_won, total_lost - n_lost
    n_with, n_without = n_won + n_lost, o_won + o_lost
    rec: dict[str, Any] = {"theme_id": t, "n_won": n_won, "n_lost": n_lost}
    for key, k, n in (("share_won", n_won, total_won), ("share_lost", n_lost, total_lost)):
        lo, hi = wilson_interval(k, n, confidence)
        rec.update({key: k / n if n else math.nan, f"{key}_low": lo, f"{key}_high": hi})
    enough = min(n_with, n_without) >= min_count
    rec["n_with"], rec["n_without"] = n_with, n_without
    for key, k, n in (("win_rate_with", n_won, n_with), ("win_rate_without", o_won, n_without)):
        lo, hi = wilson_interval(k, n, confidence) if enough else (math.nan, math.nan)
        rec.update({key: k / n if enough else math.nan, f"{key}_low": lo, f"{key}_high": hi})
    nan3 = (math.nan, math.nan, math.nan)
    effect, lo, hi = difference_interval(n_won, n_with, o_won, n_without, confidence) if enough else nan3
    rec.update({"effect": effect, "effect_low": lo, "effect_high": hi})
    weight = n_with / (n_with + n_without) if enough else math.nan
    rec.update({"impact": weight * effect, "impact_low": weight * lo, "impact_high": weight * hi})
    rec["p_value"] = _fisher_two_sided(n_won, n_lost, o_won, o_lost) if enough else math.nan
    rec["enough"] = enough
    rec["note"] = "" if enough else f"{TOO_FEW} (n={min(n_with, n_without)} < {min_count})"
    return rec


def difference_interval(k1: int, n1: int, k0: int, n0: int, confidence: float = 0.95) -> tuple[float, float, float]:
    """``p1 - p0`` of two independent proportions (*k1* of *n1*, *k0* of *n0*) with Newcombe's
    hybrid score interval (his method 10: the Wilson intervals of each proportion combined),
    which keeps its coverage for small counts and rates near 0 or 1, where the Wald interval does
    not (Newcombe 1998, Statistics in Medicine 17:873). ``(nan, nan, nan)`` when a sample is empty.

    >>> [round(x, 4) for x in difference_interval(56, 70, 48, 80)]  # Newcombe's example (a)
    [0.2, 0.0524, 0.3339]
    """
    if n1 <= 0 or n0 <= 0:
        return (math.nan, math.nan, math.nan)
    p1, p0 = k1 / n1, k0 / n0
    l1, u1 = wilson_interval(k1, n1, confidence)
    l0, u0 = wilson_interval(k0, n0, confidence)
    d = p1 - p0
    return (d, d - math.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2), d + math.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2))


def one_outcome_columns(
    frame: pd.DataFrame, text_columns: Sequence[str], outcomes: pd.Series, *, min_share: float = 0.95,
    min_filled: int = 20,
) -> pd.DataFrame:
    """The text columns written (almost) only on one outcome, which no win-rate comparison may use.

    A column such as 失注理由 is filled only when a deal is lost: every theme found in it "lowers
    the win rate" because of when the column is written, not because of what customers said.
    Needs ``row`` and *text_columns* in *frame* and *outcomes* (``won`` / ``lost`` / ``open`` per
    row of *frame*, :func:`voc.read.outcomes.map_outcomes`). A column is excluded when at least
    *min_filled* closed deals have it filled and at least *min_share* of them share one outcome.

    Returns one row per text column: ``column``, ``filled`` (closed deals with the column filled),
    ``won``, ``lost``, ``open`` (filled cells per outcome), ``share`` (the larger outcome's share of
    the filled closed deals), ``excluded`` (bool) and ``reason`` (Japanese, without the column's
    name, for the report to put after it: 記入のある終了済みの商談 412 件の 100% が失注です（受注 0 件）。
    結果が出てから書かれる列とみなします; empty when kept).
    """
    import pandas as pd

    records = []
    result = outcomes.to_numpy()
    for column in text_columns:
        filled = frame[column].map(lambda v: isinstance(v, str) and bool(v.strip())).to_numpy(dtype=bool)
        won = int((filled & (result == "won")).sum())
        lost = int((filled & (result == "lost")).sum())
        open_ = int((filled & (result == "open")).sum())
        closed = won + lost
        share = max(won, lost) / closed if closed else float("nan")
        excluded = closed >= min_filled and share >= min_share
        reason = ""
        if excluded:
            side, other, n_other = ("失注", "受注", won) if lost >= won else ("受注", "失注", lost)
            reason = (f"記入のある終了済みの商談 {closed:,} 件の {share:.0%} が{side}です（{other} {n_other:,} 件）。"
                      "結果が出てから書かれる列とみなします")
        records.append({"column": column, "filled": closed, "won": won, "lost": lost, "open": open_,
                        "share": share, "excluded": excluded, "reason": reason})
    return pd.DataFrame(records, columns=["column", "filled", "won", "lost", "open", "share", "excluded", "reason"])
