"""Render a :class:`~voc.report.model.ReportModel` as Markdown (``summary.md``).

The summary is meant to be pasted into a chat or a wiki: the counts, what changed since the last
run, one table of themes, the themes that relate to winning or losing, notable segments and three
quotes per leading theme, with a table of its sub-themes when it was split. Every value put into the
text (names, quotes, column values, the outcome note, reasons, the input's name in a code span) is
escaped so that it cannot turn into Markdown or HTML markup (``<script>``, links, tables) where it
is pasted. With statement units (issue #27) it also gives deals and mentions, the win-rate impact,
the themes mentioned with each theme, quotes as the statement in bold inside its note, the rep's
log (担当者の記録) and the text columns kept out of the win-rate comparison.
"""

from __future__ import annotations

import math
import re
from typing import Any

from voc.report._html_theme import LOST_ONLY_NOTE, representative_quotes, trend_ends, winloss_mode
from voc.report._statements_view import (
    IMPACT_NOTE,
    LOG_NOTE,
    UNIT_NOTE,
    co_theme_rows,
    excluded_notes,
    has_impact,
    impact_text,
    is_statements,
    log_view,
)
from voc.report.html import REASONS_JA, outcome_view
from voc.report.model import ReportModel, SubthemeRow, ThemeRow

__all__ = ["render_markdown", "MAX_THEME_SECTIONS"]

#: Themes that get a section with quotes (largest first; emerging and new themes always do).
MAX_THEME_SECTIONS = 10

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
CHANGE_KINDS = (("new", "新規"), ("growing", "増加"), ("shrinking", "減少"), ("vanished", "消滅"))


def _md(text: Any) -> str:
    """Data text as inert Markdown: one line, punctuation that means markup backslash-escaped."""
    one_line = _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
    return "\\" + one_line if one_line.startswith("#") else one_line


def _finite(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def _pct(v: Any) -> str:
    return f"{v * 100:.1f}%" if _finite(v) else "—"


def _pt(v: Any) -> str:
    return f"{'+' if v >= 0 else '−'}{abs(v) * 100:.1f}pt" if _finite(v) else "—"


def _q(q: Any) -> str:
    return "q<0.001" if q < 0.001 else f"q={q:.3f}"


def _significant(t: ThemeRow | SubthemeRow) -> bool:
    w = t.winloss
    return bool(w.get("enough")) and _finite(w.get("effect")) and _finite(w.get("q_value")) and w["q_value"] < 0.05


def _name(t: ThemeRow) -> str:
    badges = ("【急増】" if t.emerging else "") + ("【新規】" if t.status == "新規" else "")
    return f"{t.theme_id}. {_md(t.label)}{badges}"


def _effect_cell(t: ThemeRow | SubthemeRow) -> str:
    w = t.winloss
    if not w:
        return "—"
    if not w.get("enough") or not _finite(w.get("effect")):
        return "件数不足"
    return _pt(w["effect"]) + ("＊" if _significant(t) else "")


def _trend_cell(t: ThemeRow) -> str:
    ends = trend_ends(t.trend)
    return f"{_pct(ends[0])}→{_pct(ends[1])}" if ends else "—"


def _changes(model: ReportModel) -> list[str]:
    lines = ["## 前回からの変化", ""]
    if not (model.changes or model.previous_run_id):
        return [*lines, "前回の実行がないため、比較はありません。", ""]
    if model.previous_run_id:
        lines += [f"前回の実行 {_md(model.previous_run_id)} との比較。", ""]
    by_id = {t.theme_id: t for t in model.themes}
    for kind, label in CHANGE_KINDS:
        items = []
        for c in model.changes.get(kind, []):
            if isinstance(c, dict):
                items.append(f"{_md(c.get('id'))}. {_md(c.get('label', ''))}")
            else:
                items.append(f"{c}. {_md(by_id[c].label)}" if c in by_id else str(c))
        lines.append(f"- {label}: {'、'.join(items) if items else 'なし'}")
    return [*lines, ""]


def _table(model: ReportModel) -> list[str]:
    has_trend = any(trend_ends(t.trend) for t in model.themes)
    has_wl = winloss_mode(model) == "full"
    impact = has_wl and has_impact(model)
    statements = is_statements(model)
    head = ["ID", "テーマ", *(["商談数", "言及数"] if statements else ["件数"]), "割合"]
    head += (["推移（最初の3か月→直近3か月）"] if has_trend else []) + (["受注率への影響"] if has_wl else [])
    head += (["全体受注率への寄与"] if impact else []) + ["キーワード"]
    align = ["---:", "---", *(["---:"] * (2 if statements else 1)), "---:"] + (["---"] if has_trend else [])
    align += (["---:"] if has_wl else []) + (["---:"] if impact else []) + ["---"]
    lines = ["## テーマ一覧", "", "| " + " | ".join(head) + " |", "|" + "|".join(align) + "|"]
    for t in model.themes:
        badges = ("【急増】" if t.emerging else "") + ("【新規】" if t.status == "新規" else "")
        cells = [str(t.theme_id), _md(t.label) + badges, f"{t.size:,}"]
        cells += [f"{t.mentions:,}"] if statements else []
        cells += [_pct(t.share)] + ([_trend_cell(t)] if has_trend else [])
        cells += [_effect_cell(t)] if has_wl else []
        cells += [impact_text(t.winloss)] if impact else []
        cells.append("、".join(_md(k) for k in t.keywords[:6]))
        lines.append("| " + " | ".join(cells) + " |")
    if not model.themes:
        lines = lines[:2] + ["テーマはありません（分析できる行がありませんでした）。"]
    lines.append("")
    if has_wl:
        lines += [
            "受注率への影響 = そのテーマに言及した商談の受注率 − 言及しなかった商談の受注率。＊ = 多重比較補正後 q<0.05。",
            "",
        ]
    if impact:
        lines += [IMPACT_NOTE, ""]
    return lines


def _winloss(model: ReportModel) -> list[str]:
    mode = winloss_mode(model)
    excluded = [f"- {_md(note)}" for note in excluded_notes(model)]
    excluded = [*excluded, ""] if excluded else []
    if mode == "none":
        return ["## 受注・失注との関係", "", *excluded] if excluded else []
    lines = ["## 受注・失注との関係", ""]
    if mode == "lost_only":
        return [*lines, LOST_ONLY_NOTE, "", *excluded]
    sig = sorted((t for t in model.themes if _significant(t)), key=lambda t: t.winloss["effect"])
    if not sig:
        return [*lines, "受注率に統計的に有意な差のあるテーマはありません。", "", *excluded]
    for t in sig:
        w = t.winloss
        impact = f"、全体受注率への寄与 {impact_text(w)}" if _finite(w.get("impact")) else ""
        lines.append(
            f"- **{_name(t)}**: 言及あり {_pct(w['win_rate_with'])}（n={w['n_with']:,}）vs なし "
            f"{_pct(w['win_rate_without'])}（n={w['n_without']:,}）、{_pt(w['effect'])}（{_q(w['q_value'])}）{impact}"
        )
    return [*lines, "", *excluded]


def _log(model: ReportModel, examples: int = 2) -> list[str]:
    """## 担当者の記録: each kind of the rep's log with its counts and a few examples."""
    view = log_view(model, examples)
    if not view:
        return []
    lines = ["## 担当者の記録", "", LOG_NOTE, "", "| 種類 | 文の数 | 商談数 | 例 |", "|---|---:|---:|---|"]
    for g in view:
        said = " ／ ".join(_said(p) for p in g["examples"]) or "—"
        lines.append(f"| {_md(g['label'])} | {g['statements']:,} | {g['deals']:,} | {said} |")
    return [*lines, ""]


def _said(p: dict[str, str]) -> str:
    """A statement in its note: the note as escaped text, the statement in bold (text alone
    without a note). Spaces set the bold apart: CommonMark does not close ``**`` between a
    Japanese full stop and the next word (``。**次``)."""
    if not (p["before"] or p["after"] or p["column"]):
        return _md(p["text"])
    return " ".join(x for x in (_md(p["before"]), f"**{_md(p['text'])}**", _md(p["after"])) if x)


def _co_themes(model: ReportModel, t: ThemeRow, top: int = 5) -> list[str]:
    rows = co_theme_rows(model, t)[:top]
    if not rows:
        return []
    return ["一緒に言及されたテーマ: " + "、".join(f"{r['theme_id']}. {_md(r['label'])}（{r['deals']:,} 件）" for r in rows), ""]


def _outcomes(model: ReportModel) -> list[str]:
    view = outcome_view(model)
    if not view:
        return []
    counts = "、".join(f"{k} {v:,} 件" for k, v in view["counts"].items())
    lines = [f"## 受注・失注の判定（列 {_md(view['column'])}）", "", counts, "", "| 値 | 判定 | 根拠 | 件数 |", "|---|---|---|--:|"]
    lines += [f"| {_md(v['value'])} | {_md(v['outcome'])} | {_md(v['source'])} | {v['count']:,} |" for v in view["values"]]
    if view["more"]:
        lines.append(f"| ほか {view['more']} 種類 | | | |")
    lines.append("")
    if view["note"]:
        lines += [_md(view["note"]), ""]  # it quotes the unrecognised values
    return lines


def _segments(model: ReportModel, per_theme: int = 3) -> list[str]:
    if not any(t.segments for t in model.themes):
        return []
    lines = ["## 目立つセグメント", ""]
    found = False
    for t in model.themes:
        sig = [s for s in t.segments if s.get("significant")]
        sig.sort(key=lambda s: (s.get("q_value", 1.0), -(s.get("lift") or 0)))
        if not sig:
            continue
        found = True
        parts = [
            f"{_md(s['column'])}＝{_md(s['value'])} {_pct(s.get('share'))}（全体 {_pct(s.get('share_overall'))}、"
            f"リフト {s.get('lift', math.nan):.2f}）"
            for s in sig[:per_theme]
        ]
        lines.append(f"- **{_name(t)}**: " + "、".join(parts))
    if not found:
        lines.append("有意に多く出るセグメントはありません（Benjamini–Hochberg 補正後 q<0.05）。")
    return [*lines, ""]


def _subtheme_table(t: ThemeRow, has_wl: bool) -> list[str]:
    """Sub-themes of *t* (name, count, share within the theme, keywords, its first quote); nothing
    when the theme was not split. The win-rate effect column only when the report shows effects."""
    if not t.subthemes:
        return []
    head = ["サブテーマ", "件数", "テーマ内の割合"] + (["受注率への影響"] if has_wl else []) + ["キーワード", "声"]
    align = ["---", "---:", "---:"] + (["---:"] if has_wl else []) + ["---", "---"]
    lines = [f"サブテーマ（{len(t.subthemes)} 件）:", "", "| " + " | ".join(head) + " |", "|" + "|".join(align) + "|"]
    for s in t.subthemes:
        cells = [_md(s.label) + ("【新規】" if s.status == "新規" else ""), f"{s.size:,}", _pct(s.share)]
        cells += [_effect_cell(s)] if has_wl else []
        cells += ["、".join(_md(k) for k in s.keywords[:6]), _md(s.quotes[0]) if s.quotes else "—"]
        lines.append("| " + " | ".join(cells) + " |")
    return [*lines, ""]


def _sections(model: ReportModel) -> list[str]:
    chosen = [t for i, t in enumerate(model.themes) if i < MAX_THEME_SECTIONS or t.emerging or t.status == "新規"]
    if not chosen:
        return []
    lines = ["## テーマ別の声", ""]
    statements = is_statements(model)
    for t in chosen:
        counts = f"商談 {t.size:,} 件・言及 {t.mentions:,} 件" if statements else f"{t.size:,} 件"
        lines += [f"### {_name(t)}（{counts}、{_pct(t.share)}）", ""]
        if t.keywords:
            lines += [f"キーワード: {'、'.join(_md(k) for k in t.keywords[:8])}", ""]
        lines += _co_themes(model, t)
        for p in representative_quotes(t, t.quotes[:3]):
            lines += [f"> {_said(p)}", ""]
        lines += _subtheme_table(t, winloss_mode(model) == "full")
    rest = len(model.themes) - len(chosen)
    if rest > 0:
        lines += [f"ほか {rest} テーマの声は index.html のテーマページにあります。", ""]
    return lines


def render_markdown(model: ReportModel) -> str:
    """``summary.md``: counts, changes, the theme table, win/loss, segments and quotes."""
    rows = model.rows
    head = (
        f"入力: `{' '.join(model.input_name.replace('`', '').split())}` — 読み込み {rows['read']:,} 行、分析対象 {rows['kept']:,} 行、"
        f"除外 {rows['rejected']:,} 行、テーマ {len(model.themes)} 件"
        + (f"、未分類 {model.n_unassigned:,} 件" if model.n_unassigned else "")
    )
    meta = []
    if model.months:
        meta.append(f"期間 {_md(model.months[0])} 〜 {_md(model.months[-1])}")
    if model.run_id:
        meta.append(f"実行 {_md(model.run_id)}")
    if model.version:
        meta.append(f"voc {_md(model.version)}")
    lines = [f"# {_md(model.title)}", "", head, ""] + (["／".join(meta), ""] if meta else [])
    lines += [UNIT_NOTE, ""] if is_statements(model) else []
    lines += _changes(model) + _table(model) + _winloss(model) + _outcomes(model) + _segments(model)
    lines += _sections(model) + _log(model)
    if model.rejected_by_reason:
        lines += ["## 除外した行", ""]
        lines += [
            f"- {_md(REASONS_JA.get(reason, reason))}: {count:,} 行"
            for reason, count in sorted(model.rejected_by_reason.items())
        ]
        lines.append("")
    if model.dates.get("n_unparsed"):
        d = model.dates
        lines += [f"日付列 {_md(d['column'])} の {d['n_unparsed']:,} 行は日付として読めず、推移から外しました"
                  f"（例: {'、'.join(_md(e) for e in d['examples'][:3])}）。", ""]
    return "\n".join(lines).rstrip() + "\n"
