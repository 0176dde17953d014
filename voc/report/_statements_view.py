"""What the reports show about statements (issue #27): a quote inside its note, the themes
mentioned with a theme, the rep's log, the win-rate impact and the text columns kept out of the
win-rate comparison.

Plain data built from a :class:`~voc.report.model.ReportModel` for the HTML templates, the
Markdown summary and the workbook, so that every format says the same. Every function copes with
the fields being empty (whole-row units, or a model built before issue #27): then it returns
empty values and the renderers print what they printed before.
"""

from __future__ import annotations

import math
from typing import Any

from voc.report.model import LogRow, Quote, ReportModel, ThemeRow

__all__ = [
    "CONTEXT_CHARS",
    "LOG_NOTE",
    "IMPACT_NOTE",
    "UNIT_NOTE",
    "co_theme_rows",
    "context_parts",
    "excluded_notes",
    "has_impact",
    "impact_text",
    "is_statements",
    "log_view",
]

#: Characters of the note shown on each side of a statement; longer context is elided with "…".
CONTEXT_CHARS = 80
#: Examples of the rep's log kept per kind.
LOG_EXAMPLES = 5

LOG_NOTE = (
    "担当者の記録（訪問の種類・参加者・日程・次回アクション・送付資料・担当者の所感・受注/失注の記載など）です。"
    "お客様の声ではないためテーマには含めず、受注率の比較にも使っていません。"
)
IMPACT_NOTE = (
    "全体受注率への寄与 = 全体の受注率 − このテーマに言及した商談を除いた受注率（ポイント、括弧内は95%信頼区間）。"
    "プラスはこのテーマの商談が全体の受注率を押し上げ、マイナスは押し下げていることを示します。"
)
UNIT_NOTE = (
    "テーマは文（発言）ごとに付けています。1 件のメモが複数のテーマに入ることがあります。"
    "商談数 = そのテーマの文を含む商談の数、言及数 = そのテーマの文の数です。"
)


def _finite(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def _pt(v: Any) -> str:
    if not _finite(v):
        return "—"
    return f"{'+' if v >= 0 else '−'}{abs(v) * 100:.1f}pt"


def is_statements(model: ReportModel) -> bool:
    """True when statements, not whole rows, got the themes (deals and mentions then differ)."""
    return model.unit == "statement"


# -- a quote inside its note -------------------------------------------------------------------------
def context_parts(q: Quote, chars: int = CONTEXT_CHARS) -> dict[str, str]:
    """The statement and the text of its cell around it, elided to *chars* characters a side
    (at a sentence end inside that window when one leaves at least 20 characters).

    Returns ``{"before", "text", "after", "column"}``; ``before`` starts with ``…`` when the note
    was cut before it, ``after`` ends with ``…`` when cut after it. All empty but ``text`` for a
    quote without context (whole-row units). Values are plain text: the renderers escape them.
    """
    before, after = q.before or "", q.after or ""
    if len(before) > chars:
        before = "…" + _from_boundary(before[-chars:])
    if len(after) > chars:
        after = _to_boundary(after[:chars]) + "…"
    return {"before": before, "text": q.text, "after": after, "column": q.column or ""}


_ENDS = "。！？!?\n"
#: An elided side keeps at least this many characters when cut at a sentence end.
_MIN_KEPT = 20


def _from_boundary(tail: str) -> str:
    """*tail* from just after its first sentence end, when that keeps at least ``_MIN_KEPT`` characters."""
    i = min((tail.find(c) for c in _ENDS if c in tail), default=-1)
    return tail[i + 1 :] if 0 <= i < len(tail) - _MIN_KEPT else tail


def _to_boundary(head: str) -> str:
    """*head* up to its last sentence end, when that keeps at least ``_MIN_KEPT`` characters."""
    i = max(head.rfind(c) for c in _ENDS)
    return head[: i + 1] if i >= _MIN_KEPT else head


def has_context(q: Quote) -> bool:
    """True when the quote is a statement with its note (statement units)."""
    return bool(q.column or q.before or q.after)


# -- co-themes ---------------------------------------------------------------------------------------
def co_theme_rows(model: ReportModel, t: ThemeRow) -> list[dict[str, Any]]:
    """The themes mentioned in the same deals as *t*, most deals first.

    Each row: ``theme_id``, ``label`` (the model's current name when the theme is in the report),
    ``deals`` (deals that mention both), ``share`` (of *t*'s deals, ``None`` when *t* has none) and
    ``link`` (the theme has a page in this report).
    """
    by_id = {x.theme_id: x for x in model.themes}
    rows = []
    for c in t.co_themes:
        tid = int(c.get("theme_id", -1))
        deals = int(c.get("deals") or 0)
        label = by_id[tid].label if tid in by_id else str(c.get("label", ""))
        rows.append(
            {
                "theme_id": tid,
                "label": label,
                "deals": deals,
                "share": deals / t.size if t.size else None,
                "link": tid in by_id,
            }
        )
    rows.sort(key=lambda r: (-r["deals"], r["theme_id"]))
    return rows


# -- win rates ---------------------------------------------------------------------------------------
def has_impact(model: ReportModel) -> bool:
    """True when some theme's win/loss figures carry a finite ``impact``."""
    return any(_finite(t.winloss.get("impact")) for t in model.themes)


def impact_text(w: dict[str, Any]) -> str:
    """``+2.1pt（+0.8〜+3.4pt）`` from a win/loss dict; ``—`` without a finite impact."""
    impact = w.get("impact")
    if not _finite(impact):
        return "—"
    low, high = w.get("impact_low"), w.get("impact_high")
    if _finite(low) and _finite(high):
        return f"{_pt(impact)}（{_pt(low)}〜{_pt(high)}）"
    return _pt(impact)


def _reason_sentence(column: str, reason: str) -> str:
    reason = reason.strip().rstrip("。")
    if reason.endswith(("ます", "ません", "です")):
        return f"{column}: {reason}。このため受注率の比較から外しています"
    if reason.endswith("ため"):
        reason = reason[: -len("ため")]
    return f"{column} は{reason}ため、受注率の比較から外しています"


def excluded_notes(model: ReportModel) -> list[str]:
    """One Japanese sentence per text column kept out of the win-rate comparison.

    Uses each entry's ``reason`` (a phrase such as ``失注の商談にしか書かれていない``); without one,
    says on which outcomes the column is filled. The counts follow in brackets.
    """
    notes = []
    for e in model.excluded_columns:
        column = str(e.get("column", ""))
        counts = {k: int(e.get(k) or 0) for k in ("won", "lost", "open")}
        reason = str(e.get("reason") or "")
        if not reason:
            filled = [jp for k, jp in (("won", "受注"), ("lost", "失注"), ("open", "未完了")) if counts[k]]
            reason = f"{'・'.join(filled) or '一部'}の商談にしか書かれていない"
        notes.append(
            _reason_sentence(column, reason)
            + f"（記入あり: 受注 {counts['won']:,} 件・失注 {counts['lost']:,} 件・未完了 {counts['open']:,} 件）。"
        )
    return notes


# -- the rep's log -----------------------------------------------------------------------------------
def log_view(model: ReportModel, examples: int = LOG_EXAMPLES) -> list[dict[str, Any]]:
    """The rep's log by kind, as the model orders it: ``label``, ``cue``, ``statements``, ``deals``
    and up to *examples* quotes as :func:`context_parts` (with ``row``)."""
    return [_log_row(r, examples) for r in model.log]


def _log_row(r: LogRow, examples: int) -> dict[str, Any]:
    return {
        "label": r.label or r.cue,
        "cue": r.cue,
        "statements": int(r.statements),
        "deals": int(r.deals),
        "examples": [{**context_parts(q), "row": q.row} for q in r.quotes[:examples]],
        "more": max(0, int(r.statements) - min(examples, len(r.quotes))),
    }
