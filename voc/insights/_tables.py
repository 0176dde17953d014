"""Per-theme figures marketing acts on (DataFrames in, DataFrames out).

Two input frames, both one row per record, both with an integer ``theme_id`` column (``-1`` = no
theme):

* **docs**: the analysed records (kept by :mod:`voc.clean`; unassigned ones have ``-1``). Shares,
  trends, segments, competitors and the emerging flag are computed among them.
* **deals**: every record of the export that has an outcome, analysed or not (records without
  usable text get ``-1``). Win/loss uses it, so that "deals that do not mention the theme" also
  counts the deals that said nothing.

Statistics: Wilson score intervals for proportions, Fisher's exact test for 2×2 tables, and
Benjamini–Hochberg false-discovery-rate control wherever many tests are made at once.
The dict layouts put into :class:`voc.report.model.ThemeRow` are documented on
:func:`win_loss` (``ThemeRow.winloss``) and :func:`segment_lift` (``ThemeRow.segments``).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from statistics import NormalDist
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = [
    "theme_sizes",
    "wilson_interval",
    "benjamini_hochberg",
    "monthly_trend",
    "win_loss",
    "segment_lift",
    "competitor_mentions",
    "emerging_themes",
    "compare_runs",
    "TOO_FEW",
]

def _labelled(fn: Any) -> Any:
    """The table *fn* returns gains ``label`` after ``theme_id`` when its input frame has
    ``theme_label`` (e.g. :meth:`voc.pipeline.ReportResult.rows_with_themes`): no label maps by hand."""

    @functools.wraps(fn)
    def wrapper(frame: pd.DataFrame, *args: Any, **kwargs: Any) -> pd.DataFrame:
        out = fn(frame, *args, **kwargs)
        if "theme_label" in frame.columns and "theme_id" in out.columns and "label" not in out.columns:
            names = frame.drop_duplicates("theme_id").set_index("theme_id")["theme_label"]
            out.insert(int(out.columns.get_loc("theme_id")) + 1, "label", out["theme_id"].map(names).fillna(""))
        return out

    return wrapper


#: What win/loss says when there are fewer deals than ``min_count``.
TOO_FEW = "件数が少なすぎます"


# -- statistics --------------------------------------------------------------------------------------
def wilson_interval(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for *k* successes out of *n* (no continuity correction).

    Returns ``(nan, nan)`` for ``n == 0``. E.g. ``wilson_interval(81, 263)`` ≈ ``(0.2553, 0.3662)``.
    """
    if n <= 0:
        return (math.nan, math.nan)
    if not 0 <= k <= n:
        raise ValueError(f"need 0 <= k <= n, got k={k}, n={n}")
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def benjamini_hochberg(p_values: Sequence[float] | np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (q-values), same order as given; NaNs stay NaN."""
    import numpy as np
    from scipy.stats import false_discovery_control

    p = np.asarray(p_values, dtype=float)
    q = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        q[ok] = false_discovery_control(p[ok], method="bh")
    return q


def _fisher_greater(a: int, b: int, c: int, d: int) -> float:
    """One-sided Fisher exact p-value that row 1 has a higher rate than row 2 in [[a, b], [c, d]]."""
    from scipy.stats import fisher_exact

    return float(fisher_exact([[a, b], [c, d]], alternative="greater").pvalue)


def _fisher_greater_many(a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray) -> np.ndarray:
    """:func:`_fisher_greater` of many tables at once (the same p-values, bit for bit).

    scipy's ``fisher_exact(alternative="greater")`` is ``hypergeom.cdf(b, N, a + b, b + d)``
    capped at 1, and 1 where a row or column of the table sums to 0; one vectorized call instead of
    one ``fisher_exact`` per table (segment lift: 1,560 tables for 40 themes × 39 segment values
    took 0.5 s of the 10k call-note report).
    """
    import numpy as np
    from scipy.stats import hypergeom

    a, b, c, d = (np.asarray(x, dtype=np.int64) for x in (a, b, c, d))
    p = np.ones(a.shape)
    ok = (a + b > 0) & (c + d > 0) & (a + c > 0) & (b + d > 0)
    if ok.any():
        p[ok] = np.minimum(hypergeom.cdf(b[ok], (a + b + c + d)[ok], (a + b)[ok], (b + d)[ok]), 1.0)
    return p


def _fisher_two_sided(a: int, b: int, c: int, d: int) -> float:
    from scipy.stats import fisher_exact

    return float(fisher_exact([[a, b], [c, d]]).pvalue)


def _first_of_row(frame: pd.DataFrame) -> np.ndarray:
    """True at each deal's first line: a frame with ``row`` may hold a deal once per theme it
    mentions (:func:`voc.units.deal_themes`), and totals count each deal once; all True without ``row``."""
    import numpy as np

    if "row" not in frame.columns:
        return np.ones(len(frame), dtype=bool)
    return ~frame["row"].duplicated().to_numpy()


def _theme_ids(frame: pd.DataFrame) -> list[int]:
    return sorted(int(t) for t in frame["theme_id"].unique() if t >= 0)


# -- size, trend -------------------------------------------------------------------------------------
def theme_sizes(assignments: pd.DataFrame) -> pd.DataFrame:
    """Count and share of each theme.

    Needs ``theme_id`` (``-1`` = unassigned). Returns ``theme_id``, ``size`` and ``share`` (of all
    assigned and unassigned documents), largest first, ties by id; unassigned documents are left out.
    """
    import pandas as pd

    total = len(assignments)
    counts = assignments.loc[assignments["theme_id"] >= 0, "theme_id"].value_counts()
    out = pd.DataFrame({"theme_id": counts.index.astype(int), "size": counts.values.astype(int)})
    out["share"] = out["size"] / total if total else 0.0
    return out.sort_values(["size", "theme_id"], ascending=[False, True], kind="stable").reset_index(drop=True)


def _months(docs: pd.DataFrame, date_column: str) -> pd.Series:
    from voc.read import parse_dates

    return parse_dates(docs[date_column]).dt.strftime("%Y-%m")


@_labelled
def monthly_trend(docs: pd.DataFrame, date_column: str) -> pd.DataFrame:
    """Count and share of each theme per calendar month.

    Needs ``theme_id`` and *date_column* (what :func:`voc.read.parse_dates` reads; unparseable or
    empty dates are left out, and counted in ``run.json``'s ``dates``). Returns one row per (theme, month) for every month from the first to
    the last one seen, zeros included: ``theme_id``, ``month`` (``"YYYY-MM"``), ``count``, ``total``
    (analysed records that month, with or without a theme) and ``share`` (``count / total``, 0 when
    the month is empty). Sorted by theme id, then month.
    """
    import pandas as pd

    months = _months(docs, date_column)
    dated = docs.assign(month=months)[months.notna()]
    cols = ["theme_id", "month", "count", "total", "share"]
    if dated.empty:
        return pd.DataFrame(columns=cols)
    span = pd.period_range(dated["month"].min(), dated["month"].max(), freq="M").strftime("%Y-%m").tolist()
    totals = dated[_first_of_row(dated)].groupby("month").size().reindex(span, fill_value=0)
    themed = dated[dated["theme_id"] >= 0]
    keys = ["theme_id", "month"]
    counts = themed.groupby(keys)["row"].nunique() if "row" in themed.columns else themed.groupby(keys).size()
    rows = []
    for t in _theme_ids(docs):
        for m in span:
            c = int(counts.get((t, m), 0))
            tot = int(totals[m])
            rows.append((t, m, c, tot, c / tot if tot else 0.0))
    return pd.DataFrame(rows, columns=cols)


# -- win / loss --------------------------------------------------------------------------------------
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
    (:func:`voc.outcomes.map_outcomes`): the CRMs' words for won and lost (受注, 成約, Closed Won,
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
    ``effect``
        ``win_rate_with - win_rate_without`` (a fraction: -0.12 = 12 points lower).
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
    records = []
    for t in _theme_ids(deals):
        mask = theme == t
        n_won = int((mask & is_won).sum())
        n_lost = int((mask & ~is_won).sum())
        o_won = total_won - n_won
        o_lost = total_lost - n_lost
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
        rec["effect"] = rec["win_rate_with"] - rec["win_rate_without"] if enough else math.nan
        rec["p_value"] = _fisher_two_sided(n_won, n_lost, o_won, o_lost) if enough else math.nan
        rec["enough"] = enough
        rec["note"] = "" if enough else f"{TOO_FEW} (n={min(n_with, n_without)} < {min_count})"
        records.append(rec)
    out = pd.DataFrame(records)
    if out.empty:
        return out
    out.insert(out.columns.get_loc("enough"), "q_value", benjamini_hochberg(out["p_value"].to_numpy()))
    return out.replace({np.nan: math.nan})


# -- segments ----------------------------------------------------------------------------------------
@_labelled
def segment_lift(
    docs: pd.DataFrame, segment_columns: Sequence[str], *, min_count: int = 10, alpha: float = 0.05
) -> pd.DataFrame:
    """Where each theme is over-represented (KH Coder's cross-tab by external variables).

    Needs ``theme_id`` and the *segment_columns* (e.g. industry, company_size, region, owner); empty
    segment values are left out of that column's tests. For every theme × segment value with at
    least *min_count* records, a one-sided Fisher exact test asks whether the theme's share inside
    the segment is higher than outside it; Benjamini–Hochberg runs over all those tests together.

    One row per theme × segment value (sorted by theme id, then q-value, then lift descending); the
    dicts in ``ThemeRow.segments`` are rows of this frame without ``theme_id`` (NaN as ``None``),
    in the same order. Columns / keys:

    ``column`` (segment column name), ``value`` (segment value), ``n`` (records in the segment),
    ``count`` (of them in the theme), ``share`` (``count / n``), ``share_overall`` (theme share in
    all records), ``lift`` (``share / share_overall``), ``p_value``, ``q_value`` and
    ``significant`` (``q_value < alpha`` and ``lift > 1``).
    """
    import numpy as np
    import pandas as pd

    cols = ["theme_id", "column", "value", "n", "count", "share", "share_overall", "lift", "p_value", "q_value", "significant"]
    first = _first_of_row(docs)  # a deal mentioning several themes counts once in the totals
    total = int(first.sum())
    theme = docs["theme_id"].to_numpy()
    ids = _theme_ids(docs)
    position = {t: i for i, t in enumerate(ids)}
    theme_index = np.asarray([position.get(int(t), -1) for t in theme], dtype=np.int64)
    n_theme = np.bincount(theme_index[theme_index >= 0], minlength=len(ids))
    # per column, a (theme × value) count table in one pass (not a mask per theme and value)
    segments = []  # (column, value, n, counts per theme) for every segment value with enough records
    for column in segment_columns:
        values = docs[column].astype("string").fillna("").str.strip().to_numpy()
        names, codes = np.unique(values.astype(str), return_inverse=True)
        sizes = np.bincount(codes[first], minlength=len(names))
        keep = theme_index >= 0
        table = np.bincount(theme_index[keep] * len(names) + codes[keep], minlength=len(ids) * len(names))
        table = table.reshape(len(ids), len(names))
        for j, value in enumerate(names):
            if value != "" and sizes[j] >= min_count:
                segments.append((column, str(value), int(sizes[j]), table[:, j]))
    rows = []
    tables = []  # (a, b, c, d) of each row's test, tested together below
    for i, t in enumerate(ids):
        overall = int(n_theme[i]) / total
        for column, value, n, counts in segments:
            a = int(counts[i])
            c = int(n_theme[i]) - a
            tables.append((a, n - a, c, (total - n) - c))
            share = a / n
            rows.append([t, column, value, n, a, share, overall, share / overall if overall else math.nan])
    out = pd.DataFrame(rows, columns=cols[:-3])
    out["p_value"] = _fisher_greater_many(*np.array(tables, dtype=np.int64).reshape(-1, 4).T)
    out["q_value"] = benjamini_hochberg(out["p_value"].to_numpy()) if len(out) else []
    out["significant"] = (out["q_value"] < alpha) & (out["lift"] > 1)
    out = out.sort_values(["theme_id", "q_value", "lift"], ascending=[True, True, False], kind="stable")
    return out.reset_index(drop=True)[cols]


# -- competitors -------------------------------------------------------------------------------------
@_labelled
def competitor_mentions(docs: pd.DataFrame, competitor_column: str, *, top: int = 5) -> pd.DataFrame:
    """Competitors named on the records of each theme.

    Needs ``theme_id`` and *competitor_column* (one name per record; blank = none; several names
    separated by ``、`` ``,`` ``/`` or ``・`` count once each). Returns ``theme_id``, ``competitor``,
    ``count`` (records of the theme naming it) and ``share`` (``count`` / theme size), the *top*
    most named per theme, most first, ties by name.
    """
    import pandas as pd

    cols = ["theme_id", "competitor", "count", "share"]
    assigned = docs[docs["theme_id"] >= 0]
    sizes = assigned.groupby("theme_id").size()
    names = (
        assigned[competitor_column].astype("string").fillna("").str.split(r"\s*[、,/／・]\s*", regex=True)
    )
    exploded = pd.DataFrame(
        {"record": range(len(assigned)), "theme_id": assigned["theme_id"].to_numpy(), "competitor": names.to_numpy()}
    ).explode("competitor")
    exploded["competitor"] = exploded["competitor"].str.strip()
    exploded = exploded[exploded["competitor"].fillna("") != ""].drop_duplicates(["record", "competitor"])
    if exploded.empty:
        return pd.DataFrame(columns=cols)
    counts = exploded.groupby(["theme_id", "competitor"]).size().rename("count").reset_index()
    counts["share"] = counts["count"] / counts["theme_id"].map(sizes)
    counts = counts.sort_values(["theme_id", "count", "competitor"], ascending=[True, False, True], kind="stable")
    return counts.groupby("theme_id").head(top).reset_index(drop=True)[cols]


# -- emerging ----------------------------------------------------------------------------------------
@_labelled
def emerging_themes(
    docs: pd.DataFrame,
    date_column: str,
    *,
    recent_months: int = 3,
    alpha: float = 0.01,
    min_ratio: float = 1.5,
    min_count: int = 10,
) -> pd.DataFrame:
    """Flag themes whose share in the latest period rose significantly against the earlier periods.

    Needs ``theme_id`` and *date_column*. The latest period is the last *recent_months* calendar
    months of the data (by the latest date seen); the earlier period is every month before. For each
    theme a one-sided Fisher exact test compares its share in the two periods; Benjamini–Hochberg
    runs over the themes. A theme is ``emerging`` when ``q_value < alpha``, the share rose at least
    *min_ratio*-fold and it has at least *min_count* records in the latest period.

    Returns one row per theme: ``theme_id``, ``recent_count``, ``recent_total``, ``recent_share``,
    ``earlier_count``, ``earlier_total``, ``earlier_share``, ``ratio``, ``p_value``, ``q_value``,
    ``emerging``; also the period bounds ``recent_from`` and ``recent_to`` (``"YYYY-MM"``).
    """
    import pandas as pd

    cols = [
        "theme_id", "recent_count", "recent_total", "recent_share", "earlier_count", "earlier_total",
        "earlier_share", "ratio", "p_value", "q_value", "emerging", "recent_from", "recent_to",
    ]
    months = _months(docs, date_column)
    dated = docs.assign(month=months)[months.notna()]
    if dated.empty:
        return pd.DataFrame(columns=cols)
    last = pd.Period(dated["month"].max(), freq="M")
    first_recent = (last - (recent_months - 1)).strftime("%Y-%m")
    recent = (dated["month"] >= first_recent).to_numpy()
    theme = dated["theme_id"].to_numpy()
    first = _first_of_row(dated)  # a deal mentioning several themes counts once in the totals
    n_recent, n_earlier = int((recent & first).sum()), int((~recent & first).sum())
    rows = []
    for t in _theme_ids(docs):
        in_t = theme == t
        a, c = int((in_t & recent).sum()), int((in_t & ~recent).sum())
        rs = a / n_recent if n_recent else math.nan
        es = c / n_earlier if n_earlier else math.nan
        ratio = rs / es if es else (math.inf if a else math.nan)
        p = _fisher_greater(a, n_recent - a, c, n_earlier - c) if n_recent and n_earlier else math.nan
        rows.append([t, a, n_recent, rs, c, n_earlier, es, ratio, p])
    out = pd.DataFrame(rows, columns=cols[:9])
    out["q_value"] = benjamini_hochberg(out["p_value"].to_numpy()) if len(out) else []
    out["emerging"] = (out["q_value"] < alpha) & (out["ratio"] >= min_ratio) & (out["recent_count"] >= min_count)
    out["recent_from"], out["recent_to"] = first_recent, last.strftime("%Y-%m")
    return out[cols]


# -- changes since the previous run ------------------------------------------------------------------
def compare_runs(
    current: pd.DataFrame,
    previous: pd.DataFrame,
    *,
    n_current: int,
    n_previous: int,
    alpha: float = 0.05,
    min_change: float = 0.2,
) -> dict[str, list[Any]]:
    """What changed since the previous run, for ``ReportModel.changes``.

    *current* needs ``theme_id``, ``size`` and ``status`` (``"新規"`` for themes new this run);
    *previous* needs ``theme_id``, ``size`` and ``label`` (the previous run's themes, stable ids).
    *n_current* / *n_previous* are the analysed records of each run. A matched theme is
    ``growing`` / ``shrinking`` when its share changed by at least *min_change* relative to before and
    a two-sided Fisher exact test on (size, others) × (run) gives p < *alpha* (the runs' windows may
    overlap, so read this as a screening signal, not a test between independent samples).

    Returns ``{"new": [ids], "growing": [ids], "shrinking": [ids], "vanished": [{"id", "label"}]}``.
    """
    prev = {int(r.theme_id): r for r in previous.itertuples(index=False)}
    changes: dict[str, list[Any]] = {"new": [], "growing": [], "shrinking": [], "vanished": []}
    seen = set()
    for r in current.itertuples(index=False):
        t = int(r.theme_id)
        if getattr(r, "status", "") == "新規" or t not in prev:
            changes["new"].append(t)
            continue
        seen.add(t)
        if not (n_current and n_previous):
            continue
        s_now, s_before = r.size / n_current, prev[t].size / n_previous
        rel = (s_now - s_before) / s_before if s_before else math.inf
        if abs(rel) < min_change:
            continue
        p = _fisher_two_sided(int(r.size), n_current - int(r.size), int(prev[t].size), n_previous - int(prev[t].size))
        if p < alpha:
            changes["growing" if rel > 0 else "shrinking"].append(t)
    changes["vanished"] = [{"id": t, "label": str(prev[t].label)} for t in sorted(prev) if t not in seen]
    return changes
