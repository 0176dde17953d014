"""Per-theme views for the theme browser: what one theme, or one of its sub-themes, shows.

Plain dicts built from a :class:`~voc.report.model.ThemeRow` or
:class:`~voc.report.model.SubthemeRow` (win/loss figures, sparkline points, segment bars, quotes)
for the templates in ``templates/``; :mod:`voc.report.html` renders them, and the Markdown
summary reuses the win/loss and trend rules so both say the same. Sub-themes carry the same
insight fields as themes, so the same helpers serve both.
"""

from __future__ import annotations

import math
from typing import Any

from voc.report._statements_view import context_parts, has_context, impact_text
from voc.report.model import Quote, ReportModel, SubthemeRow, ThemeRow

__all__ = [
    "LOST_ONLY_NOTE",
    "MAX_QUOTES_PER_PAGE",
    "MAX_SUBTHEME_QUOTES",
    "quotes_for_page",
    "representative_quotes",
    "subtheme_quotes",
    "subtheme_view",
    "theme_view",
    "trend_ends",
    "winloss_mode",
]

#: Quotes embedded in one theme page (the model's order); the page says how many there were in all.
MAX_QUOTES_PER_PAGE = 1000


# -- small formatting helpers ------------------------------------------------------------------------
def _finite(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def _pct(v: Any, digits: int = 1) -> str:
    return f"{v * 100:.{digits}f}%" if _finite(v) else "—"


def _pt(v: Any) -> str:
    """A difference of two rates in percentage points, with a real minus sign."""
    if not _finite(v):
        return "—"
    return f"{'+' if v >= 0 else '−'}{abs(v) * 100:.1f}pt"


def _clean(obj: Any) -> Any:
    """JSON-safe copy: NaN/inf become None, tuples lists, numpy scalars Python numbers."""
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    if hasattr(obj, "item") and not isinstance(obj, str):  # numpy scalar
        obj = obj.item()
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


# -- per-theme views ---------------------------------------------------------------------------------
def winloss_mode(model: ReportModel) -> str:
    """``"none"`` (no win/loss figures), ``"lost_only"`` or ``"full"``.

    ``"lost_only"``: no analysed text is on a single won deal (``model.outcomes["won_with_text"]``
    is 0; without that count: no theme was mentioned on a won deal), which is what happens when the
    analysed text exists only for lost deals (失注理由). Then "win rate with vs without the theme"
    only says that deals with a lost reason were lost, so reports show shares among lost deals
    instead of a win-rate effect.
    """
    rows = [t.winloss for t in model.themes if t.winloss]
    if not rows:
        return "none"
    if "won_with_text" in model.outcomes:
        return "lost_only" if int(model.outcomes["won_with_text"]) == 0 else "full"
    return "lost_only" if sum(int(w.get("n_won") or 0) for w in rows) == 0 else "full"


LOST_ONLY_NOTE = (
    "分析したテキストは失注した商談にしか書かれていないため、受注率の比較はできません（言及あり＝失注になるため）。"
    "受注・失注の両方に書かれる列（商談メモなど）を text_columns に加えると表示されます。"
)


def _winloss_view(t: ThemeRow | SubthemeRow) -> dict[str, Any]:
    """What the table and the theme page show about win/loss; empty when not computed."""
    w = t.winloss
    if not w:
        return {}
    enough = bool(w.get("enough", False)) and _finite(w.get("effect"))
    q = w.get("q_value")
    return {
        "enough": enough,
        "note": w.get("note", "") or ("件数不足" if not enough else ""),
        "effect": w.get("effect") if enough else None,
        "effect_text": _pt(w.get("effect")) if enough else "件数不足",
        "significant": enough and _finite(q) and q < 0.05,
        "q": q if _finite(q) else None,
        "n_won": int(w.get("n_won", 0)),
        "n_lost": int(w.get("n_lost", 0)),
        "n_with": int(w.get("n_with", 0)),
        "n_without": int(w.get("n_without", 0)),
        "with": (w.get("win_rate_with"), w.get("win_rate_with_low"), w.get("win_rate_with_high")),
        "without": (w.get("win_rate_without"), w.get("win_rate_without_low"), w.get("win_rate_without_high")),
        "share_won": (w.get("share_won"), w.get("share_won_low"), w.get("share_won_high")),
        "share_lost": (w.get("share_lost"), w.get("share_lost_low"), w.get("share_lost_high")),
        "impact": w.get("impact") if _finite(w.get("impact")) else None,
        "impact_text": impact_text(w),
    }


def trend_ends(trend: list[tuple[str, int, float]], months: int = 3) -> tuple[float, float] | None:
    """Mean monthly share of the first and of the last *months* months (``None`` if too short).

    Single months are noisy on small corpora; three-month means say "rose" or "fell" more honestly.
    """
    if len(trend) < 2 * months:
        return None
    first = [s for _, _, s in trend[:months] if _finite(s)]
    last = [s for _, _, s in trend[-months:] if _finite(s)]
    if not first or not last:
        return None
    return sum(first) / len(first), sum(last) / len(last)


def _sparkline(trend: list[tuple[str, int, float]], width: int = 120, height: int = 28) -> dict[str, Any]:
    """Points of an SVG polyline for the monthly share (scaled to the theme's own maximum)."""
    if len(trend) < 2:
        return {}
    shares = [float(s) if _finite(s) else 0.0 for _, _, s in trend]
    top = max(shares) or 1.0
    step = (width - 4) / (len(shares) - 1)
    pts = [(2 + i * step, height - 3 - (s / top) * (height - 6)) for i, s in enumerate(shares)]
    ends = trend_ends(trend)
    title = "月ごとの割合" + (f"：最初の3か月 {_pct(ends[0])} → 直近3か月 {_pct(ends[1])}" if ends else "")
    return {
        "width": width,
        "height": height,
        "points": " ".join(f"{x:.1f},{y:.1f}" for x, y in pts),
        "last": pts[-1],
        "title": title,
    }


def _segments_view(t: ThemeRow | SubthemeRow, limit: int = 12) -> dict[str, Any]:
    rows = [s for s in t.segments if s.get("value") not in (None, "")]
    rows.sort(
        key=lambda s: (
            not s.get("significant"),
            s.get("q_value") if _finite(s.get("q_value")) else 1.0,
            -(s.get("lift") or 0),
        )
    )
    top = max((max(s.get("share") or 0, s.get("share_overall") or 0) for s in rows), default=0) or 1
    view = [
        {
            "column": str(s.get("column", "")),
            "value": str(s.get("value", "")),
            "n": int(s.get("n", 0)),
            "count": int(s.get("count", 0)),
            "share": s.get("share"),
            "share_overall": s.get("share_overall"),
            "lift": s.get("lift"),
            "q": s.get("q_value"),
            "significant": bool(s.get("significant")),
            "bar": round(100 * (s.get("share") or 0) / top, 1),
            "overall_pos": round(min(100.0, 100 * (s.get("share_overall") or 0) / top), 1),
        }
        for s in rows
    ]
    return {"top": view[:limit], "rest": view[limit:], "n_significant": sum(r["significant"] for r in view)}


def quotes_for_page(t: ThemeRow, cap: int = MAX_QUOTES_PER_PAGE) -> list[dict[str, Any]]:
    """The quotes embedded in a theme page: the first *cap* in the model's order (most representative
    first, as :mod:`voc.label` orders them); the page can re-sort them by date.

    Uses ``quote_records`` (text with date, outcome and segments); falls back to ``quotes``. A
    statement with its note (statement units) also carries ``b`` and ``a`` (the note before and
    after it, elided: :func:`~voc.report._statements_view.context_parts`) and ``c`` (its column).
    """
    records = t.quote_records or [Quote(text=q, row=-1) for q in t.quotes]
    out = []
    for q in records[:cap]:
        item: dict[str, Any] = {
            "t": q.text,
            "d": q.date,
            "o": q.outcome,
            "w": q.result,
            "s": " / ".join(str(v) for v in q.segments.values() if v),
            "r": q.row,
        }
        if has_context(q):
            parts = context_parts(q)
            item.update(b=parts["before"], a=parts["after"], c=parts["column"])
        out.append(item)
    return out


def representative_quotes(t: ThemeRow | SubthemeRow, quotes: list[str] | None = None) -> list[dict[str, str]]:
    """*quotes* (default ``t.quotes``) as :func:`~voc.report._statements_view.context_parts`: each
    with its note when a quote record of the same text has one, else the text alone."""
    notes = {q.text: q for q in reversed(t.quote_records) if has_context(q)}
    return [context_parts(notes[q]) if q in notes else context_parts(Quote(q, -1)) for q in (quotes or t.quotes)]


def theme_view(t: ThemeRow) -> dict[str, Any]:
    """The theme with its win/loss view, sparkline and sub-theme views (index rows, theme pages)."""
    return {
        "t": t,
        "wl": _winloss_view(t),
        "spark": _sparkline(t.trend),
        "subs": [subtheme_view(t, s) for s in t.subthemes],
    }


# -- sub-themes --------------------------------------------------------------------------------------
#: Quotes shown in one sub-theme's section (representative first); the section says how many in all.
MAX_SUBTHEME_QUOTES = 30
#: Representative quotes shown open; the rest of a section's quotes sit in a <details>.
OPEN_SUBTHEME_QUOTES = 3


def subtheme_quotes(s: SubthemeRow, cap: int = MAX_SUBTHEME_QUOTES) -> list[Quote]:
    """The quotes of a sub-theme's section: ``quote_records`` (with date and outcome) when present,
    else ``quotes``; the first *cap* in the model's order."""
    records = s.quote_records or [Quote(text=q, row=-1) for q in s.quotes]
    return records[:cap]


def _notable_segments(s: SubthemeRow, limit: int = 3) -> list[dict[str, Any]]:
    """Significant segments only (q < 0.05 and lift > 1, as the insights stage marks them)."""
    rows = [x for x in s.segments if x.get("significant") and x.get("value") not in (None, "")]
    rows.sort(key=lambda x: (x.get("q_value") if _finite(x.get("q_value")) else 1.0, -(x.get("lift") or 0)))
    return [
        {
            "column": str(x.get("column", "")),
            "value": str(x.get("value", "")),
            "share": x.get("share"),
            "share_overall": x.get("share_overall"),
            "lift": x.get("lift") if _finite(x.get("lift")) else None,
        }
        for x in rows[:limit]
    ]


def subtheme_view(theme: ThemeRow, s: SubthemeRow) -> dict[str, Any]:
    """What the index and the theme page show about one sub-theme; ``anchor`` is the id of its
    section on the theme page (``sub-<subtheme_id>``)."""
    quotes = subtheme_quotes(s)
    ends = trend_ends(s.trend)
    return {
        "s": s,
        "anchor": f"sub-{int(s.subtheme_id)}",
        "href": f"themes/{int(theme.theme_id)}.html#sub-{int(s.subtheme_id)}",
        "wl": _winloss_view(s),
        "spark": _sparkline(s.trend),
        "trend_ends": ends,
        "segments": _notable_segments(s),
        "quotes_open": quotes[:OPEN_SUBTHEME_QUOTES],
        "quotes_more": quotes[OPEN_SUBTHEME_QUOTES:],
        "n_quotes": max(s.size, len(s.quote_records or s.quotes)),
        "n_shown": len(quotes),
    }
