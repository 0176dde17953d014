"""Render a :class:`~voc.report.model.ReportModel` as the pages of the theme browser.

The browser is a static site (see :mod:`voc.report.site`): ``index.html`` (theme table, charts,
changes since the last run) and one ``themes/<id>.html`` per theme (marketing fields, keywords,
trend, win/loss, segments, competitors, searchable quotes). Pages are rendered with Jinja2 with
autoescape on; data for scripts goes in ``<script type="application/json">`` islands through Jinja's
``tojson`` (which escapes ``<``, ``>``, ``&`` and ``'``), and no data is ever marked safe. Charts
are plotly figure dicts drawn by ``assets/voc.js`` with the bundled ``assets/plotly.min.js``; their
texts are escaped for Plotly's own markup first (:func:`voc._plotly_text.plotly_safe`).

With statement units (issue #27, :mod:`voc.report._statements_view`) the pages also show deals
(商談数) and mentions (言及数), each quote as the statement in a ``<mark>`` inside its note, the
themes mentioned with a theme, the rep's log (担当者の記録) and the text columns kept out of the
win-rate comparison; whole-row reports render exactly as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from voc.report._html_theme import (
    LOST_ONLY_NOTE,
    MAX_QUOTES_PER_PAGE,
    _clean,
    _finite,
    _pct,
    _pt,
    _segments_view,
    _winloss_view,
    quotes_for_page,
    representative_quotes,
    theme_view,
    trend_ends,
    winloss_mode,
)
from voc.report._statements_view import (
    IMPACT_NOTE,
    LOG_NOTE,
    UNIT_NOTE,
    co_theme_rows,
    context_parts,
    excluded_notes,
    has_impact,
    is_statements,
    log_view,
)
from voc.report.model import ReportModel, ThemeRow

if TYPE_CHECKING:
    from jinja2 import Environment

__all__ = [
    "render_index",
    "render_theme_page",
    "quotes_for_page",
    "trend_ends",
    "winloss_mode",
    "LOST_ONLY_NOTE",
    "MAX_QUOTES_PER_PAGE",
]

REASONS_JA = {
    "ragged_row": "列数が合わない行",
    "broken_quote": "引用符が閉じていない行（後続の行は別の行として読みました）",
    "nested_value": "入れ子の値（リスト・構造体）を含む行",
    "footer": "レポートのフッター行（合計・機密表示・著作権表示）",
    "empty_text": "テキストが空",
    "non_answer": "「特になし」などの無回答",
    "no_statement": "文として読める部分がない（記号・絵文字のみ）",
    "outside_window": "集計期間（since / until）の外、または日付でない",
}
MARKETING_FIELDS = (
    ("messaging", "訴求メッセージ案"),
    ("product_idea", "製品アイデア"),
    ("owner", "担当"),
    ("status", "対応状況"),
    ("notes", "メモ"),
)
CHANGE_KINDS = (("new", "新規"), ("growing", "増加"), ("shrinking", "減少"), ("vanished", "消滅"))
#: How the report names the three outcomes of :mod:`voc.read.outcomes` and where a mapping came from.
OUTCOME_JA = {"won": "受注", "lost": "失注", "open": "未完了"}
OUTCOME_SOURCE_JA = {"default": "既定の語", "configured": "設定", "unmapped": "未知の値", "blank": "空欄"}
OUTCOME_CLASS = {"受注": "won", "失注": "lost"}
_FONT = 'system-ui, "Hiragino Sans", "Hiragino Kaku Gothic ProN", "BIZ UDPGothic", "Yu Gothic UI", Meiryo, "Noto Sans CJK JP", sans-serif'
_COLORS = ["#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#65a30d", "#4b5563", "#9333ea"]


def _env() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("voc.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
    )
    # tojson escapes <, >, & and ' for HTML; keep Japanese as UTF-8 (half the bytes of \\uXXXX)
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False, "allow_nan": False}
    env.filters["num"] = lambda v: f"{int(v):,}"
    env.filters["pct"] = _pct
    env.filters["pt"] = _pt
    env.filters["ctx"] = context_parts
    env.filters["q"] = lambda q: "<0.001" if _finite(q) and q < 0.001 else (f"{q:.3f}" if _finite(q) else "—")
    return env


# -- figures (plotly dicts) --------------------------------------------------------------------------
def _figures(figs: dict[str, Any]) -> dict[str, Any]:
    """*figs* as they go into the page: every text escaped for Plotly's own markup (a theme named
    ``<a href=…>`` must not become a link in the chart), NaN as ``None``."""
    from voc._plotly_text import plotly_safe

    return _clean(plotly_safe(figs))


def _layout(**kw: Any) -> dict[str, Any]:
    base = {
        "font": {"family": _FONT, "size": 12},
        "margin": {"l": 10, "r": 10, "t": 10, "b": 40},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "hoverlabel": {"font": {"family": _FONT}},
    }
    base.update(kw)
    for key, axis in base.items():
        if key.startswith(("xaxis", "yaxis")) and isinstance(axis, dict):
            axis.setdefault("automargin", True)
    return base


def _short(label: str, n: int = 18) -> str:
    return label if len(label) <= n else label[: n - 1] + "…"


def _share_figure(themes: list[ThemeRow]) -> dict[str, Any]:
    names = [f"{t.theme_id}. {_short(t.label)}" for t in themes]
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": names[::-1],
                "x": [round(t.share * 100, 2) for t in themes][::-1],
                "customdata": [t.size for t in themes][::-1],
                "marker": {"color": ["#dc2626" if t.emerging else "#2563eb" for t in themes][::-1]},
                "hovertemplate": "%{y}<br>%{x:.1f}%（%{customdata:,} 件）<extra></extra>",
            }
        ],
        "layout": _layout(
            height=max(220, 26 * len(themes) + 60),
            xaxis={"title": {"text": "割合（%）"}, "ticksuffix": "%", "gridcolor": "#e5e7eb"},
            yaxis={"automargin": True},
        ),
    }


def _trend_figure(model: ReportModel) -> dict[str, Any] | None:
    themes = model.themes
    months = model.months or sorted({m for t in themes for m, _, _ in t.trend})
    if len(months) < 2 or not any(t.trend for t in themes):
        return None
    data = []
    for i, t in enumerate(t for t in themes if t.trend):
        by_month = {m: s for m, _, s in t.trend}
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": f"{t.theme_id}. {_short(t.label, 14)}",
                "x": months,
                "y": [round(100 * by_month[m], 2) if _finite(by_month.get(m)) else None for m in months],
                "line": {"width": 3 if t.emerging else 1.5, "color": _COLORS[i % len(_COLORS)]},
                "visible": True if (i < 4 or t.emerging) else "legendonly",
                "hovertemplate": "%{x}: %{y:.1f}%<extra>%{fullData.name}</extra>",
            }
        )
    return {
        "data": data,
        "layout": _layout(
            height=360,
            xaxis={"type": "category", "gridcolor": "#e5e7eb"},
            yaxis={
                "title": {"text": "月ごとの割合（%）"},
                "ticksuffix": "%",
                "gridcolor": "#e5e7eb",
                "rangemode": "tozero",
            },
            legend={"orientation": "h", "y": -0.2},
            margin={"l": 10, "r": 10, "t": 10, "b": 10},
        ),
    }


def _rate_trace(
    wl: list[tuple[ThemeRow, dict[str, Any]]], ys: list[str], key: str, name: str, color: str, symbol: str
) -> dict[str, Any]:
    """Markers with 95% intervals of one win rate (``with`` or ``without``) per theme."""
    mid = [100 * v[key][0] for _, v in wl]
    return {
        "type": "scatter",
        "mode": "markers",
        "name": name,
        "y": ys,
        "x": [round(x, 2) for x in mid],
        "marker": {"color": color, "size": 9, "symbol": symbol},
        "error_x": {
            "type": "data",
            "symmetric": False,
            "array": [round(100 * v[key][2] - m, 2) for (_, v), m in zip(wl, mid, strict=True)],
            "arrayminus": [round(m - 100 * v[key][1], 2) for (_, v), m in zip(wl, mid, strict=True)],
            "color": color,
            "thickness": 1.2,
        },
        "hovertemplate": "%{y}<br>" + name + ": %{x:.1f}%<extra></extra>",
    }


def _winloss_figure(model: ReportModel) -> dict[str, Any] | None:
    wl = [(t, _winloss_view(t)) for t in model.themes] if winloss_mode(model) == "full" else []
    wl = [(t, v) for t, v in wl if v.get("enough")]
    if not wl:
        return None
    wl.sort(key=lambda tv: tv[1]["effect"])
    ys = [f"{t.theme_id}. {_short(t.label)}{' ＊' if v['significant'] else ''}" for t, v in wl]
    return {
        "data": [
            _rate_trace(wl, ys, "with", "このテーマに言及した商談", "#dc2626", "circle"),
            _rate_trace(wl, ys, "without", "言及しなかった商談", "#9ca3af", "diamond"),
        ],
        "layout": _layout(
            height=max(240, 28 * len(wl) + 90),
            xaxis={"title": {"text": "受注率（%、95%信頼区間）"}, "ticksuffix": "%", "gridcolor": "#e5e7eb"},
            yaxis={"automargin": True},
            legend={"orientation": "h", "y": 1.02, "yanchor": "bottom"},
            margin={"l": 10, "r": 10, "t": 30, "b": 40},
        ),
    }


def _index_figures(model: ReportModel) -> dict[str, Any]:
    """The index's charts by element id: theme shares, monthly trend, win rates (when computed)."""
    if not model.themes:
        return {}
    figs: dict[str, Any] = {"chart-share": _share_figure(model.themes)}
    for key, fig in (("chart-trend", _trend_figure(model)), ("chart-winloss", _winloss_figure(model))):
        if fig is not None:
            figs[key] = fig
    return figs


def _theme_figures(model: ReportModel, t: ThemeRow) -> dict[str, Any]:
    if len(t.trend) < 2:
        return {}
    months = [m for m, _, _ in t.trend]
    return {
        "chart-theme-trend": {
            "data": [
                {
                    "type": "bar",
                    "name": "件数",
                    "x": months,
                    "y": [int(c) for _, c, _ in t.trend],
                    "marker": {"color": "#bfdbfe"},
                    "hovertemplate": "%{x}: %{y:,} 件<extra></extra>",
                },
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "name": "割合",
                    "x": months,
                    "y": [round(100 * s, 2) if _finite(s) else None for _, _, s in t.trend],
                    "yaxis": "y2",
                    "line": {"color": "#dc2626" if t.emerging else "#2563eb", "width": 2},
                    "hovertemplate": "%{x}: %{y:.1f}%<extra></extra>",
                },
            ],
            "layout": _layout(
                height=300,
                xaxis={"type": "category"},
                yaxis={"title": {"text": "件数"}, "gridcolor": "#e5e7eb", "rangemode": "tozero"},
                yaxis2={
                    "title": {"text": "割合（%）"},
                    "tickformat": ".1f",
                    "showgrid": False,
                    "overlaying": "y",
                    "side": "right",
                    "ticksuffix": "%",
                    "rangemode": "tozero",
                },
                legend={"orientation": "h", "y": 1.02, "yanchor": "bottom"},
                margin={"l": 10, "r": 10, "t": 30, "b": 40},
            ),
        }
    }


# -- pages -------------------------------------------------------------------------------------------


def outcome_view(model: ReportModel, top: int = 12) -> dict[str, Any]:
    """The outcome mapping as the report lists it: each value seen, how it was read, its count.

    Empty without an outcome column. ``note`` says when values were not recognised (they count as
    open, 未完了) and which settings name them.
    """
    o = model.outcomes
    if not o:
        return {}
    values = [
        {
            "value": v["value"] or "（空欄）",
            "outcome": OUTCOME_JA.get(v["outcome"], v["outcome"]),
            "source": OUTCOME_SOURCE_JA.get(v["source"], v["source"]),
            "count": int(v["count"]),
        }
        for v in o.get("values", [])
    ]
    unmapped = [v for v in o.get("values", []) if v["source"] == "unmapped"]
    note = ""
    if unmapped:
        n = sum(int(v["count"]) for v in unmapped)
        shown = "、".join(f"「{v['value']}」" for v in unmapped[:5]) + (" ほか" if len(unmapped) > 5 else "")
        note = (
            f"{shown}（{n:,} 件）は受注・失注のどちらか分からないため未完了として数えました。"
            "受注・失注なら設定の [input] won_values / lost_values（または --won-value / --lost-value）で指定してください。"
        )
    counts = o.get("counts", {})
    return {
        "column": o.get("column", ""),
        "values": values[:top],
        "more": max(0, len(values) - top),
        "counts": {OUTCOME_JA[k]: int(counts.get(k, 0)) for k in OUTCOME_JA},
        "note": note,
    }


def _statement_context(model: ReportModel) -> dict[str, Any]:
    """Template values about statements (issue #27), shared by the index and the theme pages; all
    empty or false for whole-row units, so those pages render as before."""
    statements = is_statements(model)
    return {
        "statements": statements,
        "unit_note": UNIT_NOTE if statements else "",
        "has_impact": has_impact(model) and winloss_mode(model) == "full",
        "impact_note": IMPACT_NOTE,
        "excluded": excluded_notes(model),
        "log": log_view(model),
        "log_note": LOG_NOTE,
    }


def render_index(model: ReportModel, *, env: Environment | None = None) -> str:
    """``index.html``: the sortable, filterable theme table, charts and changes since the last run."""
    env = env or _env()
    by_id = {t.theme_id: t for t in model.themes}
    changes = {
        kind: [
            {"id": c["id"], "label": c.get("label", ""), "link": False}
            if isinstance(c, dict)
            else {"id": c, "label": by_id[c].label if c in by_id else "", "link": c in by_id}
            for c in model.changes.get(kind, [])
        ]
        for kind, _ in CHANGE_KINDS
    }
    data = {"figures": _figures(_index_figures(model))}
    return env.get_template("index.html.j2").render(
        m=model,
        rows=[theme_view(t) for t in model.themes],
        has_trend=any(len(t.trend) >= 2 for t in model.themes),
        has_winloss=winloss_mode(model) == "full",
        lost_only_note=LOST_ONLY_NOTE if winloss_mode(model) == "lost_only" else "",
        **_statement_context(model),
        outcome=outcome_view(model),
        changes=changes,
        change_kinds=CHANGE_KINDS,
        reasons=REASONS_JA,
        data=data,
        root="",
    )


def render_theme_page(model: ReportModel, theme: ThemeRow, *, env: Environment | None = None) -> str:
    """``themes/<id>.html``: everything about one theme, with a searchable, paginated quote list."""
    env = env or _env()
    quotes = quotes_for_page(theme)
    outcomes = sorted({q["o"] for q in quotes if q["o"]})
    data = {"figures": _figures(_theme_figures(model, theme)), "quotes": _clean(quotes)}
    return env.get_template("theme.html.j2").render(
        m=model,
        v=theme_view(theme),
        marketing=[(label, str(theme.marketing.get(key) or "")) for key, label in MARKETING_FIELDS],
        marketing_filled=any(theme.marketing.get(key) for key, _ in MARKETING_FIELDS),
        segments=_segments_view(theme),
        n_quotes=max(theme.mentions or theme.size, len(theme.quote_records or theme.quotes)),
        n_embedded=len(quotes),
        has_dates=any(q["d"] for q in quotes),
        outcomes=outcomes,
        outcome_class=OUTCOME_CLASS,
        wl_mode=winloss_mode(model),
        lost_only_note=LOST_ONLY_NOTE,
        **_statement_context(model),
        representative=representative_quotes(theme),
        co_themes=co_theme_rows(model, theme),
        data=data,
        root="../",
    )
