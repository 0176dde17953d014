"""Render the report as an Excel workbook (``themes.xlsx``) for people who live in Excel.

Sheets (Japanese names, one header row, frozen): テーマ (one row per theme with its headline
figures and marketing fields), サブテーマ (only when some theme has sub-themes: the rows of
``subthemes.csv`` with Japanese headers, plus the win-rate figures), 割り当て (the assignments
table as in ``assignments.csv``, ``subtheme_id`` and ``subtheme_label`` included when present), 月次推移
(count and share per theme and month), 勝敗 (every ``ThemeRow.winloss`` key, as
:data:`WINLOSS_HEADER`), セグメント (every ``ThemeRow.segments`` entry, as :data:`SEGMENT_HEADER`),
競合 (competitors named per theme), 変化 (changes since the previous run). Text is always stored
as text, never as a formula, even when it starts with ``=`` (header cells included).
A sheet holds at most Excel's 1,048,575 data rows; longer tables go on to sheets named
``割り当て (2)``, ``割り当て (3)`` … so that no row is dropped (xlsxwriter would skip them silently).
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from voc.report.model import ReportModel

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["render_excel", "SHEETS", "SUBTHEME_SHEET", "LOG_SHEET", "SUBTHEME_HEADER", "WINLOSS_HEADER", "SEGMENT_HEADER"]

SHEETS = ("テーマ", "割り当て", "月次推移", "勝敗", "セグメント", "競合", "変化")
#: Inserted after テーマ when at least one theme has sub-themes (a report without them is unchanged).
SUBTHEME_SHEET = "サブテーマ"
#: Added last with statement units: the rep's log by kind (never a customer theme).
LOG_SHEET = "担当者の記録"
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
    ("effect_low", "受注率の差（下限）"),
    ("effect_high", "受注率の差（上限）"),
    ("impact", "全体の受注率への影響"),
    ("impact_low", "全体の受注率への影響（下限）"),
    ("impact_high", "全体の受注率への影響（上限）"),
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


def render_excel(model: ReportModel, assignments: pd.DataFrame) -> bytes:
    """The workbook as bytes (``.xlsx``); *assignments* is the frame written to ``assignments.csv``."""
    import xlsxwriter

    buf = io.BytesIO()
    # Text stays text: no formula, URL or number conversion of what customers or marketers wrote.
    wb = xlsxwriter.Workbook(
        buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    )
    themes = model.themes
    _theme_sheet(wb, model)
    if any(t.subthemes for t in themes):
        winloss = {(t.theme_id, s.subtheme_id): s.winloss for t in themes for s in t.subthemes}
        _sheet(
            wb,
            SUBTHEME_SHEET,
            SUBTHEME_HEADER,
            (
                [
                    *r.values(),
                    *[
                        winloss[r["theme_id"], r["subtheme_id"]].get(k)
                        for k in ("win_rate_with", "win_rate_without", "effect", "q_value")
                    ],
                ]
                for r in model.subtheme_records()
            ),
        )
    cols = [str(c) for c in assignments.columns]
    columns = [["" if _missing(v) else v for v in assignments[c].tolist()] for c in assignments.columns]
    _sheet(wb, "割り当て", cols, zip(*columns, strict=True), plain=True)
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
    labels = {t.theme_id: t.label for t in themes}
    change_rows = []
    for kind, jp in (("new", "新規"), ("growing", "増加"), ("shrinking", "減少"), ("vanished", "消滅")):
        for item in model.changes.get(kind, []):
            if isinstance(item, dict):
                change_rows.append([jp, item.get("id"), item.get("label", "")])
            else:
                change_rows.append([jp, item, labels.get(item, "")])
    _sheet(wb, "変化", ["変化", "ID", "テーマ"], change_rows)
    if model.log:  # statement units: the rep's log, counted apart from the customers' themes
        _sheet(wb, LOG_SHEET, ["種類", "記録数", "商談数", "例"],
               ([r.label, r.statements, r.deals, " / ".join(q.text for q in r.quotes[:3])] for r in model.log))
    wb.close()
    return buf.getvalue()


def _theme_sheet(wb: Any, model: ReportModel) -> None:
    """The テーマ sheet: one row per theme; with statement units 件数 counts deals and 言及数 the
    customers' statements."""
    statements = model.unit == "statement"
    header = ["ID", "テーマ", "状態", "商談数" if statements else "件数", *(["言及数"] if statements else []), "割合",
              "キーワード", "急増", "言及ありの受注率", "言及なしの受注率", "受注率の差", "全体の受注率への影響", "q値", "競合",
              *[jp for _, jp in _MARKETING]]
    rows = (
        [t.theme_id, t.label, t.status, t.size, *([t.mentions] if statements else []), t.share, "、".join(t.keywords),
         "急増" if t.emerging else "", t.winloss.get("win_rate_with"), t.winloss.get("win_rate_without"),
         t.winloss.get("effect"), t.winloss.get("impact"), t.winloss.get("q_value"),
         "、".join(f"{n} ({c})" for n, c in t.competitors), *[t.marketing.get(k, "") for k, _ in _MARKETING]]
        for t in model.themes
    )
    _sheet(wb, "テーマ", header, rows)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))
