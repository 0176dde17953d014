"""Render a :class:`~voc.report.model.ReportModel` as Markdown (``summary.md``)."""

from __future__ import annotations

from voc.report.model import ReportModel

__all__ = ["render_markdown"]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(model: ReportModel) -> str:
    """A summary fit to paste into a chat or wiki: counts, a theme table and quotes per theme."""
    rows = model.rows
    lines = [
        f"# {model.title}",
        "",
        f"入力: `{model.input_name}` — 読み込み {rows['read']:,} 行、分析対象 {rows['kept']:,} 行、"
        f"除外 {rows['rejected']:,} 行、テーマ {len(model.themes)} 件"
        + (f"、未分類 {model.n_unassigned:,} 件" if model.n_unassigned else ""),
        "",
        "| ID | テーマ | 件数 | 割合 | キーワード |",
        "|---:|---|---:|---:|---|",
    ]
    for t in model.themes:
        lines.append(
            f"| {t.theme_id} | {_cell(t.label)} | {t.size:,} | {t.share:.1%} | {_cell('、'.join(t.keywords[:6]))} |"
        )
    lines.append("")
    for t in model.themes:
        lines.append(f"## {t.theme_id}. {_cell(t.label)}（{t.size:,} 件、{t.share:.1%}）")
        lines.append("")
        lines.extend(f"> {_cell(q)}" + "\n" for q in t.quotes[:3])
    if model.rejected_by_reason:
        lines.append("## 除外した行")
        lines.append("")
        lines.extend(f"- {reason}: {count:,} 行" for reason, count in sorted(model.rejected_by_reason.items()))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
