"""Readers that survive real exports: encodings, xlsx sheets, ragged and odd rows, renamed columns."""

from __future__ import annotations

import codecs
from pathlib import Path

import pandas as pd
import pytest

from voc.errors import InputError
from voc.read import REJECT_REASONS, detect_encoding, read_export

ROWS = [
    ["D-1", "予算が付かなかったため見送り。"],
    ["D-2", "ｶｽﾀﾏｲｽﾞ不可、価格は￥１２，０００／月で＼マーク入りのパス C:＼Users も可"],
    ["D-3", "①②髙﨑様の件、㈱ミエル～対応"],
    ["D-4", "競合に決定 🙇‍♂️ 😭"],
]


def _csv(rows, header=("deal_id", "lost_reason"), sep=","):
    lines = [sep.join(header)] + [sep.join(r) for r in rows]
    return "\r\n".join(lines) + "\r\n"


def _check_accounting(export):
    assert export.n_read == len(export.frame) + len(export.rejected)
    rows = sorted(export.frame["row"].tolist() + export.rejected["row"].tolist())
    assert rows == list(range(export.n_read))
    assert set(export.rejected["reason"]) <= set(REJECT_REASONS)


@pytest.mark.parametrize(
    ("encoding", "bom", "expected"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", codecs.BOM_UTF8, "utf-8-sig"),
        ("cp932", b"", "cp932"),
        ("shift_jis", b"", "cp932"),
        ("euc_jp", b"", "euc_jp"),
    ],
)
def test_encodings_are_detected(tmp_path: Path, encoding: str, bom: bytes, expected: str) -> None:
    rows = ROWS[:1] if encoding in ("shift_jis", "euc_jp") else ROWS  # ①, ㈱, 髙 exist in CP932 only
    if encoding == "euc_jp":
        rows = ROWS[:1]
    text = _csv([r for r in rows if encoding.startswith("utf") or "🙇" not in r[1]])
    p = tmp_path / "export.csv"
    p.write_bytes(bom + text.encode(encoding))
    export = read_export(p, text_columns=["lost_reason"], required_columns=["deal_id"])
    assert export.encoding == expected
    assert export.frame["lost_reason"].iloc[0] == "予算が付かなかったため見送り。"
    if encoding == "cp932":
        assert "①②髙﨑様の件、㈱ミエル～対応" in export.frame["lost_reason"].tolist()
        assert any("＼" in t and "￥" in t for t in export.frame["lost_reason"])
    _check_accounting(export)


def test_short_cp932_is_not_mistaken_for_chinese(tmp_path: Path) -> None:
    p = tmp_path / "short.csv"
    p.write_bytes("id,text\n1,価格\n".encode("cp932"))
    assert detect_encoding(p.read_bytes()) == "cp932"
    assert read_export(p, text_columns=["text"]).frame["text"].tolist() == ["価格"]


def test_utf16_tab_separated_excel_unicode_text(tmp_path: Path) -> None:
    p = tmp_path / "excel.txt"
    p.write_bytes(_csv(ROWS, sep="\t").encode("utf-16"))  # Excel "Unicode text": UTF-16LE + BOM, tabs
    export = read_export(p, text_columns=["lost_reason"])
    assert export.encoding == "utf-16"
    assert export.frame["lost_reason"].tolist() == [r[1] for r in ROWS]
    p.write_bytes(_csv(ROWS, sep="\t").encode("utf-16-le"))  # no BOM: charset-normalizer decides
    export = read_export(p, text_columns=["lost_reason"])
    assert export.encoding == "utf_16_le"
    assert export.frame["lost_reason"].tolist() == [r[1] for r in ROWS]


def test_encoding_override_and_clear_decode_error(tmp_path: Path) -> None:
    p = tmp_path / "export.csv"
    p.write_bytes(_csv(ROWS[:2]).encode("cp932"))
    assert read_export(p, text_columns=["lost_reason"], encoding="cp932").encoding == "cp932"
    with pytest.raises(InputError) as err:
        read_export(p, text_columns=["lost_reason"], encoding="utf-8")
    msg = str(err.value)
    assert "line 2" in msg and "utf-8" in msg and "--encoding cp932" in msg and str(p) in msg
    with pytest.raises(InputError, match="unknown encoding"):
        read_export(p, text_columns=["lost_reason"], encoding="klingon")


def test_quoted_newlines_control_chars_html_and_big_cells(tmp_path: Path) -> None:
    big = "長い" * 500_000  # 1 MB of text in one cell
    text = (
        'deal_id,lost_reason\n"D-1","一行目\n二行目, カンマ入り ""引用"""\n'
        'D-2,"<script>alert(1)</script><b onmouseover=x>太字</b>"\n'
        f'D-3,"制御\x00文字\x07と\x1bエスケープ"\nD-4,{big}\n'
        "D-5,Le client a choisi un concurrent. 客户选择了竞争对手。 고객이 경쟁사를 선택했습니다\n"
    )
    p = tmp_path / "odd.csv"
    p.write_text(text, encoding="utf-8")
    export = read_export(p, text_columns=["lost_reason"])
    got = export.frame["lost_reason"].tolist()
    assert got[0] == '一行目\n二行目, カンマ入り "引用"'
    assert got[1].startswith("<script>")
    assert "\x00" in got[2] and "\x1b" in got[2]
    assert len(got[3]) == 1_000_000
    assert "경쟁사" in got[4]
    _check_accounting(export)


def test_ragged_rows_and_blank_lines_are_rejected_with_row_and_reason(tmp_path: Path) -> None:
    text = "deal_id,lost_reason,owner\nD-1,高い,鈴木\nD-2,安い\n\nD-4,遅い,佐藤,余分\nD-5,機能不足,田中,,\n"
    p = tmp_path / "ragged.csv"
    p.write_text(text, encoding="utf-8")
    export = read_export(p, text_columns=["lost_reason"])
    _check_accounting(export)
    assert export.n_read == 5
    rej = export.rejected.set_index("row")
    assert rej.loc[1, "reason"] == "ragged_row" and "2 fields" in rej.loc[1, "detail"]
    assert rej.loc[2, "reason"] == "empty_text"
    assert rej.loc[3, "reason"] == "ragged_row"
    # trailing empty cells (Excel pads rows) are not a reason to lose the row
    assert export.frame.set_index("row").loc[4, "lost_reason"] == "機能不足"


def test_header_only_and_empty_files(tmp_path: Path) -> None:
    p = tmp_path / "header.csv"
    p.write_text("deal_id,lost_reason\n", encoding="utf-8")
    export = read_export(p, text_columns=["lost_reason"])
    assert export.n_read == 0 and export.frame.empty and export.rejected.empty
    for content in (b"", b"\n\n  \n", codecs.BOM_UTF8):
        e = tmp_path / "empty.csv"
        e.write_bytes(content)
        with pytest.raises(InputError, match="empty"):
            read_export(e, text_columns=["lost_reason"])


def test_duplicate_and_blank_column_names(tmp_path: Path) -> None:
    p = tmp_path / "dup.csv"
    p.write_text("deal_id,備考,備考,,lost_reason\nD-1,a,b,c,高い\n", encoding="utf-8")
    export = read_export(p, text_columns=["lost_reason", "備考.1"])
    assert export.columns == ["deal_id", "備考", "備考.1", "column_4", "lost_reason"]
    assert export.frame.loc[0, "備考.1"] == "b"


def test_renamed_column_lists_available_and_closest(tmp_path: Path) -> None:
    p = tmp_path / "renamed.csv"
    p.write_text("deal_id,失注理由(詳細),担当者\nD-1,高い,鈴木\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_export(p, text_columns=["失注理由"], required_columns=["deal_id"])
    msg = str(err.value)
    assert "'失注理由'" in msg and "closest is '失注理由(詳細)'" in msg
    assert "'deal_id', '失注理由(詳細)', '担当者'" in msg and "renamed" in msg
    with pytest.raises(InputError, match="closest is 'deal_id'"):
        read_export(p, text_columns=["失注理由(詳細)"], required_columns=["Deal ID"])


def test_xlsx_with_several_sheets(tmp_path: Path) -> None:
    p = tmp_path / "book.xlsx"
    with pd.ExcelWriter(p, engine="openpyxl") as xw:
        pd.DataFrame({"メモ": ["表紙"]}).to_excel(xw, sheet_name="README", index=False)
        pd.DataFrame(
            {"deal_id": ["D-1", "D-2"], "lost_reason": ["価格が高い", "導入時期が合わない\n（来期再検討）"]}
        ).to_excel(xw, sheet_name="失注一覧", index=False)
    export = read_export(p, text_columns=["lost_reason"], sheet="失注一覧")
    assert export.frame["lost_reason"].tolist() == ["価格が高い", "導入時期が合わない\n（来期再検討）"]
    assert export.sheet == "失注一覧" and export.encoding == "xlsx"
    assert read_export(p, text_columns=["lost_reason"], sheet=1).n_read == 2
    with pytest.raises(InputError, match="sheet '失注一覧' has every needed column"):
        read_export(p, text_columns=["lost_reason"])  # default: first sheet
    with pytest.raises(InputError, match="no sheet 'Sheet9'"):
        read_export(p, text_columns=["lost_reason"], sheet="Sheet9")


def test_size_limit_names_the_setting(tmp_path: Path) -> None:
    p = tmp_path / "big.csv"
    p.write_text("deal_id,lost_reason\n" + "D-1,高い\n" * 200_000, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_export(p, text_columns=["lost_reason"], max_input_mb=1)
    assert "max_input_mb" in str(err.value) and "limit of 1 MB" in str(err.value)
    assert read_export(p, text_columns=["lost_reason"], max_input_mb=None).n_read == 200_000


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        read_export(tmp_path / "nope.csv", text_columns=["x"])
    with pytest.raises(InputError, match="directory"):
        read_export(tmp_path, text_columns=["x"])


@pytest.mark.parametrize(
    ("content", "args", "expected"),
    [
        ("deal_id,lost_reason\n", [], "no row left to analyse: 0 data rows read"),
        ("deal_id,lost_reason\nD-1,特になし\nD-2,\n", [], "rejected: {'empty_text': 1, 'non_answer': 1}"),
        ("", [], "the file is empty"),
        ("deal_id,lost_reasons\nD-1,高い\n", [], "closest is 'lost_reasons'"),
        ("deal_id,lost_reason\nD-1,高い\n", ["--encoding", "utf-32"], "cannot decode"),
    ],
)
def test_cli_exits_2_with_the_reason(tmp_path: Path, content: str, args: list[str], expected: str) -> None:
    from click.testing import CliRunner

    from voc.cli import cli

    p = tmp_path / "export.csv"
    p.write_text(content, encoding="utf-8")
    out = tmp_path / "out" / "latest"
    result = CliRunner().invoke(cli, ["report", str(p), "--text-column", "lost_reason", "--out", str(out), *args])
    assert result.exit_code == 2, result.output
    assert expected in result.output and str(p) in result.output
    assert not out.exists()  # nothing half-written


def test_xlsx_blank_rows_are_accounted_for(tmp_path: Path) -> None:
    import openpyxl

    from voc.clean import clean

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["deal_id", "lost_reason"])
    ws.append(["D-1", "価格が高い"])
    ws.append([None, None])  # a blank row inside the data
    ws.append(["D-3", None])
    ws.cell(row=6, column=1, value="D-5")  # row 5 left untouched
    ws.cell(row=6, column=2, value="導入が遅い")
    wb.save(tmp_path / "blank.xlsx")
    export = read_export(tmp_path / "blank.xlsx", text_columns=["lost_reason"])
    kept, rejected = clean(export.frame, ["lost_reason"])
    assert export.n_read == 5  # sheet rows 2–6: row number = sheet row − 2
    assert kept["row"].tolist() == [0, 4]
    assert rejected["row"].tolist() == [1, 2, 3] and set(rejected["reason"]) == {"empty_text"}


def test_a_column_named_row_does_not_clash_with_the_row_number(tmp_path):
    path = tmp_path / "with_row.csv"
    path.write_text("row,text\n7,価格が高い\n8,SSO非対応\n", encoding="utf-8")
    export = read_export(path, text_columns=["text"])
    assert export.frame["row"].tolist() == [0, 1]
    assert export.frame["row.1"].tolist() == ["7", "8"]


# -- header and footer rows ----------------------------------------------------------------------
TITLE = "取引レポート（2026年11月）"
FOOTER = ['"総計 (2 件のレコード)"', "", '"機密情報 - 社外秘"', '"Copyright (c) 2000-2024 salesforce.com, inc. All rights reserved."']


@pytest.mark.parametrize("sep", [",", "\t"])
def test_header_below_title_and_blank_rows_and_footer(tmp_path: Path, sep: str) -> None:
    lines = [TITLE, "", sep.join(["deal_id", "lost_reason"]), sep.join(["D-1", "高い"]), sep.join(["D-2", "遅い"])]
    p = tmp_path / ("report.csv" if sep == "," else "report.tsv")
    p.write_text("\r\n".join([*lines, "", *FOOTER]) + "\r\n", encoding="utf-8")
    export = read_export(p, text_columns=["lost_reason"], required_columns=["deal_id"])
    _check_accounting(export)
    assert export.header_row == 3 and export.columns == ["deal_id", "lost_reason"]
    assert export.frame["lost_reason"].tolist() == ["高い", "遅い"]
    assert export.n_read == 7 and set(export.rejected["reason"]) == {"footer"}
    assert "機密情報 - 社外秘" in " ".join(export.rejected["detail"])


def test_header_row_parameter_and_its_errors(tmp_path: Path) -> None:
    p = tmp_path / "report.csv"
    p.write_text(f"{TITLE}\n\ndeal_id,lost_reason\nD-1,高い\n", encoding="utf-8")
    assert read_export(p, text_columns=["lost_reason"], header_row=3).frame["deal_id"].tolist() == ["D-1"]
    with pytest.raises(InputError) as err:
        read_export(p, text_columns=["lost_reason"], header_row=1)
    msg = str(err.value)
    assert str(p) in msg and "'lost_reason'" in msg and "header row 1" in msg and "header_row = 3" in msg
    with pytest.raises(InputError, match="only 4 rows"):
        read_export(p, text_columns=["lost_reason"], header_row=9)
    with pytest.raises(InputError, match="header_row must be a row number"):
        read_export(p, text_columns=["lost_reason"], header_row=0)
    with pytest.raises(InputError) as err:  # no row holds the column: the error says how to name the row
        read_export(p, text_columns=["失注理由"])
    assert "header row 3" in str(err.value) and "--header-row" in str(err.value)


def test_xlsx_title_row_header_row_and_footer(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([TITLE])
    ws.append([])
    ws.append(["deal_id", "lost_reason", "amount"])
    ws.append(["D-1", "価格が高い", 1000])
    ws.append(["D-2", None, None])  # one filled cell in column A: still a data row
    ws.append([])
    ws.append(["合計", None, 1000])
    ws.append(["機密情報 - 社外秘"])
    wb.save(tmp_path / "hubspot.xlsx")
    export = read_export(tmp_path / "hubspot.xlsx", text_columns=["lost_reason"])
    _check_accounting(export)
    assert export.header_row == 3 and export.n_read == 5
    assert export.frame["deal_id"].tolist() == ["D-1", "D-2"]
    assert export.rejected["reason"].tolist() == ["footer"] * 3
    assert read_export(tmp_path / "hubspot.xlsx", text_columns=["lost_reason"], header_row=3).n_read == 5


@pytest.mark.parametrize(
    ("tail", "reasons"),
    [
        (["D-3"], ["ragged_row"]),  # a cut-off last row is no footer
        (["D-3", '"機密情報 - 社外秘"'], ["ragged_row", "footer"]),  # nor a one-cell row before the notice
        (["", "Grand Totals (2 records)", "Confidential Information - Do Not Distribute"], ["footer"] * 3),
        (["合計,,,12345"], ["footer"]),  # totals with sums
        (["Total Care 導入,提案が遅い,x"], []),  # a deal named Total..., not a totals line
    ],
)
def test_footer_rows(tmp_path: Path, tail: list[str], reasons: list[str]) -> None:
    p = tmp_path / "export.csv"
    p.write_text("\n".join(["deal_id,lost_reason,owner", "D-1,高い,鈴木", *tail]) + "\n", encoding="utf-8")
    export = read_export(p, text_columns=["lost_reason"])
    _check_accounting(export)
    assert export.rejected["reason"].tolist() == reasons
