"""voc.report.excel: the workbook's sheets, and text that must stay text; subthemes.csv beside it."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from tests._models import hand_model, subtheme_model
from voc.report.excel import SHEETS, SUBTHEME_HEADER, SUBTHEME_SHEET, render_excel
from voc.report.model import SUBTHEME_COLUMNS, ReportModel, ThemeRow


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


def _subtheme_assignments() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "row": [31, 35, 60, 70],
            "deal_id": ["D31", "D35", "D60", "=2+2"],
            "theme_id": [1, 1, 7, -1],
            "theme_label": ["価格・費用", "価格・費用", "競合 NovaCRM | 乗り換え", ""],
            "subtheme_id": [101, 103, -1, -1],
            "subtheme_label": ["初期費用が高い", "ユーザー単価", "", ""],
        }
    )


def test_subtheme_records_rows_and_columns():
    model = subtheme_model()
    records = model.subtheme_records()
    assert [list(r) for r in records] == [list(SUBTHEME_COLUMNS)] * 3
    assert [(r["theme_id"], r["subtheme_id"]) for r in records] == [(1, 101), (1, 102), (1, 103)]
    first = records[0]
    assert first["theme_label"] == "価格・費用" and first["label"] == "初期費用が高い"
    assert first["share"] == round(180 / 420, 6) and first["keywords"] == "初期費用、高い、導入"
    assert first["quotes"] == "初期費用が高すぎる。 | 導入費用の見積もりが予算を超えた。" and first["status"] == ""
    assert records[1]["status"] == "新規"
    assert records[2]["quotes"] == "ユーザー単価が 他社の倍。 | 月額|ユーザー数で高くなる。"  # one line per row
    assert hand_model().subtheme_records() == []  # no theme was split: no rows


def test_subthemes_csv_is_written_beside_themes_csv(tmp_path):
    from tests.test_record import _record
    from voc.report.writer import REPORT_FILES, write_report

    rejected = pd.DataFrame(columns=["row", "reason", "detail"])
    out = write_report(tmp_path / "latest", subtheme_model(), _subtheme_assignments(), rejected, _record())
    assert {p.name for p in out.iterdir()} >= set(REPORT_FILES) and "subthemes.csv" in REPORT_FILES
    subs = pd.read_csv(out / "subthemes.csv", keep_default_na=False)
    assert list(subs.columns) == list(SUBTHEME_COLUMNS)
    assert subs["subtheme_id"].tolist() == [101, 102, 103] and subs["theme_id"].tolist() == [1, 1, 1]
    assert subs["label"].tolist() == ["初期費用が高い", "値引きが必要", "ユーザー単価"]
    assert subs["size"].tolist() == [180, 140, 100] and subs["status"].tolist() == ["", "新規", ""]
    asg = pd.read_csv(out / "assignments.csv", keep_default_na=False)
    assert asg.columns[-2:].tolist() == ["subtheme_id", "subtheme_label"]
    assert asg["subtheme_id"].tolist() == [101, 103, -1, -1] and asg["deal_id"].tolist()[-1] == "'=2+2"
    # a report without sub-themes still has the file: its header and no rows
    plain = write_report(tmp_path / "plain", hand_model(), _subtheme_assignments().iloc[:, :4], rejected, _record())
    assert (plain / "subthemes.csv").read_text(encoding="utf-8-sig") == ",".join(SUBTHEME_COLUMNS) + "\n"


def test_subtheme_sheet_mirrors_subthemes_csv_and_assignments_carry_subthemes():
    model = subtheme_model()
    wb = load_workbook(io.BytesIO(render_excel(model, _subtheme_assignments())))
    assert wb.sheetnames == [SHEETS[0], SUBTHEME_SHEET, *SHEETS[1:]]
    rows = [[c.value for c in r] for r in wb[SUBTHEME_SHEET].iter_rows()]
    assert rows[0] == list(SUBTHEME_HEADER)
    n = len(SUBTHEME_COLUMNS)
    assert [r[:n] for r in rows[1:]] == [[v if v != "" else None for v in rec.values()] for rec in model.subtheme_records()]
    by_id = {r[2]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert by_id[101]["受注率の差"] == pytest.approx(0.2 - 0.47) and by_id[101]["q値"] == 0.003
    assert by_id[102]["受注率の差"] is None and by_id[103]["言及ありの受注率"] is None  # not computed: blank
    asg = [[c.value for c in r] for r in wb["割り当て"].iter_rows()]
    assert asg[0][-2:] == ["subtheme_id", "subtheme_label"] and asg[1][-2:] == [101, "初期費用が高い"]
    assert asg[3][-2:] == [-1, None]


def test_workbook_without_subthemes_has_no_subtheme_sheet():
    wb = load_workbook(io.BytesIO(render_excel(hand_model(), _subtheme_assignments().iloc[:, :4])))
    assert tuple(wb.sheetnames) == SHEETS


def test_join_themes_carries_subthemes_and_fills_rows_without_one():
    from voc.report.model import join_themes

    records = pd.DataFrame({"row": [31, 35, 60, 70, 99], "deal_id": ["D31", "D35", "D60", "D70", "D99"]})
    rejected = pd.DataFrame({"row": [99], "reason": ["empty_text"]})
    out = join_themes(records, _subtheme_assignments(), rejected)
    assert out["subtheme_id"].tolist() == [101, 103, -1, -1, -1] and out["subtheme_id"].dtype.kind == "i"
    assert out["subtheme_label"].tolist() == ["初期費用が高い", "ユーザー単価", "", "", ""]
    assert out["status"].tolist() == ["analysed"] * 4 + ["empty_text"]
    without = join_themes(records, _subtheme_assignments().iloc[:, :4], rejected)
    assert "subtheme_id" not in without and "subtheme_label" not in without


def test_every_text_cell_is_stored_as_text_header_cells_included():
    """Column names come from the export: a header ``=HYPERLINK(...)`` or a cell with a line break
    and a formula after it is a text cell (type ``s``), never a formula, on every sheet."""
    evil = "A\r=cmd|' /C calc'!A0"
    assignments = pd.DataFrame({"row": [0, 1], "=HYPERLINK(\"http://evil\")": [evil, "＝1+1"], "theme_id": [3, -1],
                                "@theme_label": ["+価格", "-未分類"]})
    raw = render_excel(_model(), assignments)
    wb = load_workbook(io.BytesIO(raw))
    texts = [c for ws in wb.worksheets for r in ws.iter_rows() for c in r if isinstance(c.value, str)]
    assert texts and all(c.data_type == "s" for c in texts)
    assert not [c for ws in wb.worksheets for r in ws.iter_rows() for c in r if c.data_type == "f"]
    asg = wb["割り当て"]
    assert [c.value for c in asg[1]] == list(assignments.columns)
    from openpyxl.utils.escape import unescape  # xlsxwriter stores "\r" as "_x000D_", Excel reads it back

    assert unescape(asg["B2"].value) == evil and asg["D3"].value == "-未分類"
    import zipfile

    with zipfile.ZipFile(io.BytesIO(raw)) as z:  # no <f> element anywhere: Excel evaluates nothing
        assert not [n for n in z.namelist() if n.startswith("xl/worksheets/") and b"<f>" in z.read(n)]


def test_every_sheet_has_japanese_headers():
    """Japanese users read the workbook: no header is a Python key such as ``win_rate_with``
    (only the 割り当て sheet keeps the export's own column names and voc's CSV names)."""
    import re

    from voc.report.excel import SEGMENT_HEADER, WINLOSS_HEADER

    wb = load_workbook(io.BytesIO(render_excel(_model(), _subtheme_assignments())))
    for ws in wb.worksheets:
        if ws.title.startswith("割り当て"):
            continue
        header = [c.value for c in ws[1]]
        assert not [h for h in header if re.fullmatch(r"[a-z_]+", str(h))], ws.title
    assert [c.value for c in wb["勝敗"][1]] == ["ID", "テーマ", *WINLOSS_HEADER]
    assert [c.value for c in wb["セグメント"][1]] == ["ID", "テーマ", *SEGMENT_HEADER]
    row = dict(zip(WINLOSS_HEADER, [c.value for c in wb["勝敗"][2]][2:], strict=True))
    assert row["受注件数"] == 0 and row["失注件数"] == 40 and row["判定に十分な件数"] is False
    assert row["注記"] == "件数が少なすぎます"
    seg = dict(zip(SEGMENT_HEADER, [c.value for c in wb["セグメント"][2]][2:], strict=True))
    assert seg["値"] == "@製造業" and seg["リフト"] == 2.5 and seg["有意"] is True


# -- statements (issue #27) --------------------------------------------------------------------------
def _rows(ws) -> list[dict]:
    header = [c.value for c in ws[1]]
    return [dict(zip(header, [c.value for c in r], strict=True)) for r in ws.iter_rows(min_row=2)]


def test_statement_workbook_has_deals_mentions_impact_and_the_reps_log():
    from tests._models import statement_model
    from voc.report.excel import LOG_HEADER, LOG_SHEET

    model = statement_model()
    model.log[1].quotes[0].text = "=受注！"  # a log example is text, never a formula
    wb = load_workbook(io.BytesIO(render_excel(model, _subtheme_assignments())))
    assert wb.sheetnames == [*SHEETS, LOG_SHEET]
    themes = _rows(wb["テーマ"])
    assert [(r["ID"], r["商談数"], r["言及数"]) for r in themes] == [(1, 420, 612), (7, 150, 171), (12, 12, 12)]
    assert "件数" not in themes[0]
    winloss = {r["ID"]: r for r in _rows(wb["勝敗"])}
    assert (winloss[1]["全体受注率への寄与"], winloss[1]["全体受注率への寄与（下限）"], winloss[1]["全体受注率への寄与（上限）"]) == (
        -0.043, -0.061, -0.025,
    )  # fmt: skip
    assert winloss[12]["全体受注率への寄与"] is None  # not computed: blank, not 0
    log = wb[LOG_SHEET]
    assert [c.value for c in log[1]] == list(LOG_HEADER)
    rows = [[c.value for c in r] for r in log.iter_rows(min_row=2)]
    assert rows == [
        ["次回アクション", "next_step", 820, 640, 3, "call_note", "次回は9/3に再訪。"],
        ["次回アクション", "next_step", 820, 640, 8, "call_note", "見積もりを再提出する。<img src=x id=logimg>"],
        ["受注・失注の記載", "outcome", 210, 205, 40, "call_note", "=受注！"],
    ]
    assert log["G4"].data_type == "s"


def test_row_unit_workbook_keeps_its_sheets_and_theme_columns():
    wb = load_workbook(io.BytesIO(render_excel(hand_model(), _subtheme_assignments())))
    assert tuple(wb.sheetnames) == SHEETS
    header = [c.value for c in wb["テーマ"][1]]
    assert "件数" in header and "商談数" not in header and "言及数" not in header
