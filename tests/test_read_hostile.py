"""The read stage on hostile exports: broken quotes, damaged bytes, nested Parquet cells, NUL and CR/LF in
cells, XLSX bombs. Each file's rows are all read or rejected with the line or row and the column."""

from __future__ import annotations

from pathlib import Path

from voc.io import read_export


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
