"""Render the report as an Excel workbook (``themes.xlsx``) for people who live in Excel.

Sheets (Japanese names, one header row, frozen): テーマ (one row per theme with its headline
figures and marketing fields), 割り当て (the assignments table as in ``assignments.csv``), 月次推移
(count and share per theme and month), 勝敗 (every ``ThemeRow.winloss`` key), セグメント (every
``ThemeRow.segments`` entry), 競合 (competitors named per theme), 変化 (changes since the previous
run). Text is always stored as text, never as a formula, even when it starts with ``=``.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from voc.report.model import ReportModel

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["render_excel", "SHEETS"]

SHEETS = ("テーマ", "割り当て", "月次推移", "勝敗", "セグメント", "競合", "変化")

_WINLOSS_KEYS = [
    "n_won",
    "n_lost",
    "share_won",
    "share_won_low",
    "share_won_high",
    "share_lost",
    "share_lost_low",
    "share_lost_high",
    "n_with",
    "win_rate_with",
    "win_rate_with_low",
    "win_rate_with_high",
    "n_without",
    "win_rate_without",
    "win_rate_without_low",
    "win_rate_without_high",
    "effect",
    "p_value",
    "q_value",
    "enough",
    "note",
]
_SEGMENT_KEYS = ["column", "value", "n", "count", "share", "share_overall", "lift", "p_value", "q_value", "significant"]
_MARKETING = [
    ("messaging", "訴求メッセージ案"),
    ("product_idea", "製品アイデア"),
    ("owner", "担当"),
    ("status", "ステータス"),
    ("notes", "メモ"),
]


def _cell(ws: Any, value: Any) -> Any:
    import math

    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return WriteOnlyCell(ws, None)
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalar
        value = value.item()
    if isinstance(value, str):
        cell = WriteOnlyCell(ws, ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"  # never a formula
        return cell
    return WriteOnlyCell(ws, value)


def _sheet(wb: Any, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    from openpyxl.styles import Font

    ws = wb.create_sheet(title)
    ws.freeze_panes = "A2"
    head = []
    for name in header:
        c = _cell(ws, name)
        c.font = Font(bold=True)
        head.append(c)
    ws.append(head)
    for row in rows:
        ws.append([_cell(ws, v) for v in row])


def render_excel(model: ReportModel, assignments: pd.DataFrame) -> bytes:
    """The workbook as bytes (``.xlsx``); *assignments* is the frame written to ``assignments.csv``."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    themes = model.themes
    _sheet(
        wb,
        "テーマ",
        [
            "ID",
            "テーマ",
            "状態",
            "件数",
            "割合",
            "キーワード",
            "急増",
            "言及ありの受注率",
            "言及なしの受注率",
            "受注率の差",
            "q値",
            "競合",
            *[jp for _, jp in _MARKETING],
        ],
        (
            [
                t.theme_id,
                t.label,
                t.status,
                t.size,
                t.share,
                "、".join(t.keywords),
                "急増" if t.emerging else "",
                t.winloss.get("win_rate_with"),
                t.winloss.get("win_rate_without"),
                t.winloss.get("effect"),
                t.winloss.get("q_value"),
                "、".join(f"{n} ({c})" for n, c in t.competitors),
                *[t.marketing.get(k, "") for k, _ in _MARKETING],
            ]
            for t in themes
        ),
    )
    cols = [str(c) for c in assignments.columns]
    _sheet(wb, "割り当て", cols, assignments.itertuples(index=False, name=None))
    _sheet(
        wb,
        "月次推移",
        ["ID", "テーマ", "月", "件数", "割合"],
        ([t.theme_id, t.label, m, c, s] for t in themes for m, c, s in t.trend),
    )
    _sheet(
        wb,
        "勝敗",
        ["ID", "テーマ", *_WINLOSS_KEYS],
        ([t.theme_id, t.label, *[t.winloss.get(k) for k in _WINLOSS_KEYS]] for t in themes if t.winloss),
    )
    _sheet(
        wb,
        "セグメント",
        ["ID", "テーマ", *_SEGMENT_KEYS],
        ([t.theme_id, t.label, *[s.get(k) for k in _SEGMENT_KEYS]] for t in themes for s in t.segments),
    )
    _sheet(
        wb,
        "競合",
        ["ID", "テーマ", "競合", "件数"],
        ([t.theme_id, t.label, n, c] for t in themes for n, c in t.competitors),
    )
    labels = {t.theme_id: t.label for t in themes}
    change_rows = []
    for kind, jp in (("new", "新規"), ("growing", "増加"), ("shrinking", "減少"), ("vanished", "消滅")):
        for item in model.changes.get(kind, []):
            if isinstance(item, dict):
                change_rows.append([jp, item.get("id"), item.get("label", "")])
            else:
                change_rows.append([jp, item, labels.get(item, "")])
    _sheet(wb, "変化", ["変化", "ID", "テーマ"], change_rows)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
