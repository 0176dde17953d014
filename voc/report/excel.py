"""Render the report as an Excel workbook (``themes.xlsx``) for people who live in Excel.

Sheets (Japanese names, one header row, frozen): テーマ (one row per theme with its headline
figures and marketing fields), サブテーマ (only when some theme has sub-themes: the rows of
``subthemes.csv`` with Japanese headers, plus the win-rate figures), 割り当て (the assignments
table as in ``assignments.csv``, ``subtheme_id`` and ``subtheme_label`` included when present), 月次推移
(count and share per theme and month), 勝敗 (every ``ThemeRow.winloss`` key, as
:data:`WINLOSS_HEADER`), セグメント (every ``ThemeRow.segments`` entry, as :data:`SEGMENT_HEADER`),
競合 (competitors named per theme), 変化 (changes since the previous run), 担当者の記録 (statement
units only: the rep's log by kind, :data:`LOG_HEADER`, one row per example). With statement units
テーマ says 商談数 (deals) and 言及数 (statements) where it says 件数 for whole rows; 勝敗 carries
the impact (全体受注率への寄与) with its interval. Text is always stored
as text, never as a formula, even when it starts with ``=`` (header cells included).
A sheet holds at most Excel's 1,048,575 data rows; longer tables go on to sheets named
``割り当て (2)``, ``割り当て (3)`` … so that no row is dropped (xlsxwriter would skip them silently).
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from voc.report._statements_view import is_statements
from voc.report.model import ReportModel

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "render_excel",
    "SHEETS",
    "SUBTHEME_SHEET",
    "SUBTHEME_HEADER",
    "LOG_SHEET",
    "LOG_HEADER",
    "WINLOSS_HEADER",
    "SEGMENT_HEADER",
]

SHEETS = ("テーマ", "割り当て", "月次推移", "勝敗", "セグメント", "競合", "変化")
#: Inserted after テーマ when at least one theme has sub-themes (a report without them is unchanged).
SUBTHEME_SHEET = "サブテーマ"
SUBTHEME_HEADER = (
    "テーマID",
    "テーマ",
    "サブテーマID",
    "サブテーマ",
    "件数",
    "テーマ内の割合",
    "キーワード",
    "代表的な声",
    "状態",
    "言及ありの受注率",
    "言及なしの受注率",
    "受注率の差",
    "q値",
)
#: Appended last for statement units (or a model with a rep's log): one row per example statement.
LOG_SHEET = "担当者の記録"
LOG_HEADER = ("種類", "規則", "文の数", "商談数", "例の行番号", "例の列", "例")
MAX_ROWS = 1_048_575  # data rows per sheet: Excel's 1,048,576 rows minus the header

#: ``ThemeRow.winloss`` keys (see :func:`voc.insights.win_loss`) and their headers on the 勝敗 sheet.
_WINLOSS = [
    ("n_won", "受注件数"),
    ("n_lost", "失注件数"),
    ("share_won", "受注案件中の割合"),
    ("share_won_low", "受注案件中の割合（下限）"),
    ("share_won_high", "受注案件中の割合（上限）"),
    ("share_lost", "失注案件中の割合"),
    ("share_lost_low", "失注案件中の割合（下限）"),
    ("share_lost_high", "失注案件中の割合（上限）"),
    ("n_with", "言及ありの件数"),
    ("win_rate_with", "言及ありの受注率"),
    ("win_rate_with_low", "言及ありの受注率（下限）"),
    ("win_rate_with_high", "言及ありの受注率（上限）"),
    ("n_without", "言及なしの件数"),
    ("win_rate_without", "言及なしの受注率"),
    ("win_rate_without_low", "言及なしの受注率（下限）"),
    ("win_rate_without_high", "言及なしの受注率（上限）"),
    ("effect", "受注率の差"),
    ("impact", "全体受注率への寄与"),
    ("impact_low", "全体受注率への寄与（下限）"),
    ("impact_high", "全体受注率への寄与（上限）"),
    ("p_value", "p値"),
    ("q_value", "q値"),
    ("enough", "判定に十分な件数"),
    ("note", "注記"),
]
#: ``ThemeRow.segments`` keys (see :func:`voc.insights.segment_lift`) and their セグメント headers.
_SEGMENT = [
    ("column", "項目"),
    ("value", "値"),
    ("n", "件数"),
    ("count", "テーマの件数"),
    ("share", "セグメント内の割合"),
    ("share_overall", "全体での割合"),
    ("lift", "リフト"),
    ("p_value", "p値"),
    ("q_value", "q値"),
    ("significant", "有意"),
]
_WINLOSS_KEYS = [k for k, _ in _WINLOSS]
_SEGMENT_KEYS = [k for k, _ in _SEGMENT]
WINLOSS_HEADER = tuple(jp for _, jp in _WINLOSS)
SEGMENT_HEADER = tuple(jp for _, jp in _SEGMENT)
_MARKETING = [
    ("messaging", "訴求メッセージ案"),
    ("product_idea", "製品アイデア"),
    ("owner", "担当"),
    ("status", "ステータス"),
    ("notes", "メモ"),
]


def _plain(value: Any) -> Any:
    """A value xlsxwriter writes as it is: numpy scalars to Python, NaN/inf to blank."""
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list | tuple | dict):
        return str(value)
    return value


def _sheet(wb: Any, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]], *, plain: bool = False) -> None:
    """A bold, frozen header row, then *rows* (*plain*: values need no conversion); past
    :data:`MAX_ROWS` rows the table continues on ``title (2)``, ``title (3)`` …, each with the header."""
    bold = wb.add_format({"bold": True})

    def new_sheet(part: int) -> Any:
        ws = wb.add_worksheet(title if part == 1 else f"{title} ({part})")
        ws.freeze_panes(1, 0)
        ws.write_row(0, 0, list(header), bold)
        return ws

    part, ws, i = 1, new_sheet(1), 0
    for row in rows:
        if i == MAX_ROWS:
            part, ws, i = part + 1, new_sheet(part + 1), 0
        i += 1
        ws.write_row(i, 0, row if plain else [_plain(v) for v in row])


def _theme_sheet(wb: Any, model: ReportModel) -> None:
    """テーマ: one row per theme; statement units say 商談数 and 言及数 where row units say 件数."""
    statements = is_statements(model)
    counts = ["商談数", "言及数"] if statements else ["件数"]
    header = [
        "ID", "テーマ", "状態", *counts, "割合", "キーワード", "急増",
        "言及ありの受注率", "言及なしの受注率", "受注率の差", "q値", "競合", *[jp for _, jp in _MARKETING],
    ]  # fmt: skip
    rows = (
        [
            t.theme_id,
            t.label,
            t.status,
            *([t.size, t.mentions] if statements else [t.size]),
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
        for t in model.themes
    )
    _sheet(wb, "テーマ", header, rows)


def _subtheme_sheet(wb: Any, model: ReportModel) -> None:
    """サブテーマ: the rows of ``subthemes.csv`` with the win-rate figures (only when some theme was split)."""
    themes = model.themes
    if not any(t.subthemes for t in themes):
        return
    winloss = {(t.theme_id, s.subtheme_id): s.winloss for t in themes for s in t.subthemes}
    keys = ("win_rate_with", "win_rate_without", "effect", "q_value")
    rows = (
        [*r.values(), *[winloss[r["theme_id"], r["subtheme_id"]].get(k) for k in keys]]
        for r in model.subtheme_records()
    )
    header = list(SUBTHEME_HEADER)
    if model.unit == "statement":  # size counts deals, then the statements (subtheme_records' mentions)
        header[header.index("件数") : header.index("件数") + 1] = ["商談数", "言及数"]
    _sheet(wb, SUBTHEME_SHEET, header, rows)


def _insight_sheets(wb: Any, model: ReportModel) -> None:
    """月次推移, 勝敗, セグメント and 競合: one row per theme and month, theme, segment, competitor."""
    themes = model.themes
    _sheet(
        wb,
        "月次推移",
        ["ID", "テーマ", "月", "件数", "割合"],
        ([t.theme_id, t.label, m, c, s] for t in themes for m, c, s in t.trend),
    )
    _sheet(
        wb,
        "勝敗",
        ["ID", "テーマ", *WINLOSS_HEADER],
        ([t.theme_id, t.label, *[t.winloss.get(k) for k in _WINLOSS_KEYS]] for t in themes if t.winloss),
    )
    _sheet(
        wb,
        "セグメント",
        ["ID", "テーマ", *SEGMENT_HEADER],
        ([t.theme_id, t.label, *[s.get(k) for k in _SEGMENT_KEYS]] for t in themes for s in t.segments),
    )
    _sheet(
        wb,
        "競合",
        ["ID", "テーマ", "競合", "件数"],
        ([t.theme_id, t.label, n, c] for t in themes for n, c in t.competitors),
    )


def _changes_sheet(wb: Any, model: ReportModel) -> None:
    """変化: themes new, growing, shrinking or vanished since the previous run."""
    labels = {t.theme_id: t.label for t in model.themes}
    rows = []
    for kind, jp in (("new", "新規"), ("growing", "増加"), ("shrinking", "減少"), ("vanished", "消滅")):
        for item in model.changes.get(kind, []):
            if isinstance(item, dict):
                rows.append([jp, item.get("id"), item.get("label", "")])
            else:
                rows.append([jp, item, labels.get(item, "")])
    _sheet(wb, "変化", ["変化", "ID", "テーマ"], rows)


def _log_sheet(wb: Any, model: ReportModel) -> None:
    """担当者の記録 (statement units or a model with a log): one row per example statement of each
    kind of the rep's log, with the kind's counts; a kind without examples has one row."""
    if not (is_statements(model) or model.log):
        return
    rows = []
    for r in model.log:
        examples = r.quotes or [None]
        for q in examples:
            rows.append([r.label or r.cue, r.cue, r.statements, r.deals, "" if q is None else q.row,
                         "" if q is None else q.column, "" if q is None else q.text])  # fmt: skip
    _sheet(wb, LOG_SHEET, LOG_HEADER, rows)


def render_excel(model: ReportModel, assignments: pd.DataFrame) -> bytes:
    """The workbook as bytes (``.xlsx``); *assignments* is the frame written to ``assignments.csv``."""
    import xlsxwriter

    buf = io.BytesIO()
    # Text stays text: no formula, URL or number conversion of what customers or marketers wrote.
    wb = xlsxwriter.Workbook(
        buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    )
    _theme_sheet(wb, model)
    _subtheme_sheet(wb, model)
    cols = [str(c) for c in assignments.columns]
    columns = [["" if _missing(v) else v for v in assignments[c].tolist()] for c in assignments.columns]
    _sheet(wb, "割り当て", cols, zip(*columns, strict=True), plain=True)
    _insight_sheets(wb, model)
    _changes_sheet(wb, model)
    _log_sheet(wb, model)
    wb.close()
    return buf.getvalue()


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))
