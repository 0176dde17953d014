"""The read stage on hostile exports: broken quotes, damaged bytes, nested Parquet cells, NUL and CR/LF in
cells, XLSX bombs. Each file's rows are all read or rejected with the line or row and the column."""

from __future__ import annotations

from pathlib import Path

import pytest

from voc.errors import InputError
from voc.read import read_export


def _lines(n: int, bad: dict[int, str] | None = None) -> str:
    rows = ["id,reason,date"]
    for i in range(n):
        rows.append(f"D-{i},{(bad or {}).get(i, f'理由{i}、価格が高い')},2024-01-{i % 28 + 1:02d}")
    return "\n".join(rows) + "\n"


def test_an_unclosed_quote_does_not_swallow_the_rows_after_it(tmp_path: Path) -> None:
    p = tmp_path / "q.csv"
    p.write_text(_lines(400, {100: '"失注'}), encoding="utf-8")
    export = read_export(p, text_columns=["reason"])
    assert export.n_read == 400 == len(export.frame) + len(export.rejected)
    assert export.rejected["reason"].tolist() == ["broken_quote"]
    detail = export.rejected["detail"].iloc[0]
    assert "line 102" in detail and "'reason'" in detail and "end of the file" in detail
    assert export.frame["id"].tolist() == [f"D-{i}" for i in range(400) if i != 100]


def test_a_quote_closed_by_a_later_cell_gives_back_the_lines_in_between(tmp_path: Path) -> None:
    p = tmp_path / "q.csv"
    p.write_text(_lines(50, {10: '"失注', 20: '"高い"と言われた'}), encoding="utf-8")
    export = read_export(p, text_columns=["reason"])
    assert export.n_read == 50 and export.rejected["row"].tolist() == [10]
    assert "lines 13–22" in export.rejected["detail"].iloc[0]
    assert export.frame.set_index("id").loc["D-20", "reason"] == "高いと言われた"  # as Excel reads it


def test_valid_quoted_line_breaks_stay_one_row(tmp_path: Path) -> None:
    p = tmp_path / "ok.csv"
    p.write_text('id,reason\nD-1,"一行目\n二行目, 三つ目"\nD-2,"a ""q"" b"\n', encoding="utf-8")
    export = read_export(p, text_columns=["reason"])
    assert export.frame["reason"].tolist() == ["一行目\n二行目, 三つ目", 'a "q" b'] and export.rejected.empty


def test_ragged_rejections_name_the_line(tmp_path: Path) -> None:
    p = tmp_path / "r.csv"
    p.write_text('id,reason\nD-1,"二\n行"\nD-2\nD-3,x\n', encoding="utf-8")
    export = read_export(p, text_columns=["reason"])
    assert export.rejected["detail"].tolist() == ["line 4: 1 fields, header has 2"]


def _workbook(tmp_path: Path, name: str, rows: list[list[str]]) -> Path:
    import pandas as pd

    p = tmp_path / name
    pd.DataFrame(rows[1:], columns=rows[0]).to_excel(p, index=False)
    return p


def _bomb(tmp_path: Path, member: str, payload: bytes, placeholder: bytes = b"") -> Path:
    """A real workbook with one member replaced by a highly compressible *payload* (or, with
    *placeholder*, that text of the member replaced by it)."""
    import zipfile

    src = _workbook(tmp_path, "src.xlsx", [["id", "reason"], ["D-1", "PLACEHOLDER"]])
    out = tmp_path / f"bomb-{member.replace('/', '_')}.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == member:
                data = data.replace(placeholder, payload) if placeholder else payload
            zout.writestr(info.filename, data)
        if member not in zin.namelist():
            zout.writestr(member, payload)
    return out


def test_xlsx_bombs_are_refused_before_they_are_parsed(tmp_path: Path) -> None:
    import time

    sheet = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             + b'<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>' * 400_000 + b"</sheetData></worksheet>")
    big = _bomb(tmp_path, "xl/worksheets/sheet1.xml", sheet)
    assert big.stat().st_size < 200_000 < len(sheet)  # ~25 MB unzipped
    t0 = time.perf_counter()
    with pytest.raises(InputError) as err:
        read_export(big, text_columns=["reason"], max_sheet_mb=20)
    msg = str(err.value)
    assert str(big) in msg and "limit of 20 MB" in msg and "max_sheet_mb" in msg and "xl/worksheets/sheet1.xml" in msg
    one = _bomb(tmp_path, "xl/sharedStrings.xml", b"x" * 3_000_000, b"PLACEHOLDER")
    assert one.stat().st_size < 50_000
    with pytest.raises(InputError) as err:
        read_export(one, text_columns=["reason"], max_cell_mb=2)
    msg = str(err.value)
    assert str(one) in msg and "more than 2 MB" in msg and "max_cell_mb" in msg and "shared strings" in msg
    assert time.perf_counter() - t0 < 5
    # the same workbooks under higher limits are read (the limit is what refused them)
    assert read_export(one, text_columns=["reason"], max_cell_mb=4).n_read == 1


def test_an_ordinary_workbook_passes_the_bounds(tmp_path: Path) -> None:
    p = _workbook(tmp_path, "ok.xlsx", [["id", "reason"]] + [[f"D-{i}", "価格が高い" * 50] for i in range(300)])
    assert read_export(p, text_columns=["reason"], max_sheet_mb=1, max_cell_mb=0.01).n_read == 300


def test_a_damaged_byte_is_named_on_its_own_line(tmp_path: Path) -> None:
    for codec, bad in (("utf-8", b"\xff\xfe"), ("cp932", b"\x81\x20")):
        data = _lines(400).encode(codec)
        i = data.index(b"D-300,")
        p = tmp_path / f"bad-{codec}.csv"
        p.write_bytes(data[: i + 6] + bad + data[i + 6 :])
        with pytest.raises(InputError) as err:
            read_export(p, text_columns=["reason"])
        msg = str(err.value)
        assert "at line 302," in msg and "byte 7 of that line" in msg and "'D-300,'" in msg, (codec, msg)
        assert str(p) in msg and "--encoding" in msg


def test_nested_parquet_cells_are_joined_or_rejected_never_a_repr(tmp_path: Path) -> None:
    import pandas as pd

    p = tmp_path / "n.parquet"
    pd.DataFrame({
        "id": ["D-1", "D-2", "D-3", "D-4"],
        "reason": [["価格が高い", "追加メモ"], ["導入が遅い"], [], None],
        "note": [None, None, [{"a": "x"}], None],
        "meta": [{"k": "値"}, {"k": "v"}, None, {"k": "w"}],
    }).to_parquet(p)
    export = read_export(p, text_columns=["reason", "note"])
    assert export.n_read == 4 == len(export.frame) + len(export.rejected)
    assert export.frame["reason"].tolist() == ["価格が高い\n追加メモ", "導入が遅い", ""]
    assert export.frame["meta"].tolist()[0] == '{"k": "値"}'
    assert export.rejected["reason"].tolist() == ["nested_value"]
    detail = export.rejected["detail"].iloc[0]
    assert "row 2" in detail and "'note'" in detail and "[" not in export.frame["reason"].str.cat()


def test_a_short_cp932_export_with_a_damaged_byte_is_not_read_as_mojibake(tmp_path: Path) -> None:
    from tests.data.make_hostile import write_hostile

    spec = write_hostile(tmp_path, n=4, seed=28)[3]  # charset-normalizer answers cp1256 for it
    assert spec.kind == "encoding" and spec.error == "at line 12,"
    with pytest.raises(InputError, match="at line 12, byte 9 of that line .* cp932"):
        read_export(spec.path, text_columns=["reason"])
