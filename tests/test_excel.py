"""voc.report.excel: the workbook's sheets, and text that must stay text."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from openpyxl import load_workbook

from voc.report.excel import SHEETS, render_excel
from voc.report.model import ReportModel, ThemeRow


def _model() -> ReportModel:
    theme = ThemeRow(
        theme_id=3, label="=HYPERLINK(\"http://evil.example\")", size=40, share=0.2, keywords=["価格", "高い"],
        quotes=[], status="新規", marketing={"messaging": "+81 3-1234-5678", "owner": "佐藤"},
        trend=[("2026-01", 10, 0.25), ("2026-02", 0, 0.0)], emerging=True,
        winloss={"n_won": np.int64(0), "n_lost": 40, "effect": float("nan"), "enough": False, "note": "件数が少なすぎます"},
        segments=[{"column": "industry", "value": "@製造業", "n": 50, "lift": 2.5, "q_value": 0.01,
                   "significant": np.bool_(True)}],
        competitors=[("NovaCRM", 12)],
    )
    return ReportModel(title="t", input_name="crm.csv", themes=[theme], rows={"read": 50, "kept": 40, "rejected": 10},
                       rejected_by_reason={}, n_unassigned=0,
                       changes={"new": [3], "growing": [], "shrinking": [], "vanished": [{"id": 9, "label": "旧テーマ"}]})


def test_workbook_sheets_and_text_stays_text():
    assignments = pd.DataFrame({"row": [0, 1], "deal_id": ["=1+1", None], "theme_id": [3, -1],
                                "theme_label": ["価格", "未分類"]})
    wb = load_workbook(io.BytesIO(render_excel(_model(), assignments)))
    assert tuple(wb.sheetnames) == SHEETS
    themes = wb["テーマ"]
    assert themes["B2"].value.startswith("=HYPERLINK") and themes["B2"].data_type == "s"
    header = [c.value for c in themes[1]]
    row = dict(zip(header, [c.value for c in themes[2]], strict=True))
    assert row["急増"] == "急増" and row["状態"] == "新規" and row["訴求メッセージ案"] == "+81 3-1234-5678"
    assert row["競合"] == "NovaCRM (12)" and row["受注率の差"] is None
    asg = wb["割り当て"]
    assert [c.value for c in asg[1]] == ["row", "deal_id", "theme_id", "theme_label"]
    assert asg["B2"].value == "=1+1" and asg["B2"].data_type == "s" and asg["B3"].value is None
    assert [[c.value for c in r] for r in wb["月次推移"].iter_rows(min_row=2)][1] == [3, themes["B2"].value, "2026-02", 0, 0]
    assert wb["セグメント"]["D2"].value == "@製造業"
    assert [[c.value for c in r] for r in wb["変化"].iter_rows(min_row=2)] == [["新規", 3, themes["B2"].value],
                                                                              ["消滅", 9, "旧テーマ"]]


def test_rows_past_the_sheet_limit_go_on_to_numbered_sheets(monkeypatch):
    """Excel stops at 1,048,576 rows and xlsxwriter drops the rest silently: voc continues the
    table on the next sheet instead (the limit is lowered here so the test stays small)."""
    import voc.report.excel as excel

    monkeypatch.setattr(excel, "MAX_ROWS", 3)
    assignments = pd.DataFrame({"row": range(7), "deal_id": [f"D{i}" for i in range(7)], "theme_id": [3] * 7,
                                "theme_label": ["価格"] * 7})
    wb = load_workbook(io.BytesIO(render_excel(_model(), assignments)))
    parts = ["割り当て", "割り当て (2)", "割り当て (3)"]
    assert [n for n in wb.sheetnames if n.startswith("割り当て")] == parts
    got = []
    for name in parts:
        rows = [[c.value for c in r] for r in wb[name].iter_rows()]
        assert rows[0] == ["row", "deal_id", "theme_id", "theme_label"] and len(rows) <= 4
        got += [r[1] for r in rows[1:]]
    assert got == [f"D{i}" for i in range(7)]  # every row, in order, none twice
