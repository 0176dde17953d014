"""voc.report._csv: every CSV voc writes keeps each cell in its record and starts no line with a
formula, read back the way a spreadsheet or a line-based tool would."""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from tests._models import subtheme_model
from tests.test_record import _record
from voc.report._csv import csv_text, defuse_cell
from voc.report.writer import write_report

ROOT = Path(__file__).resolve().parent.parent
ATTACK = "=cmd|' /C calc'!A0"
#: A line that a spreadsheet would start evaluating: a formula sign, also after spaces, also full-width.
FORMULA_LINE = re.compile(r"^[ \t\u3000]*[=+\-@＝＋－＠]")


def _evil_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "row": [0, 1, 2, 3, 4, 5],
            '=HYPERLINK("http://evil")': [
                "A\r" + ATTACK,
                "B\n" + ATTACK,
                "C\r\n  " + ATTACK,
                " " + ATTACK,
                "＝1+1",
                "\t@SUM(A1)",
            ],
            "theme_id": [1, -1, 2, 3, 4, -1],
            " +header": ["-1", "+81 3-1234-5678", "普通の声", 'a"b,c', None, "−27.0pt"],
        }
    )


def _lines(raw: bytes) -> list[str]:
    """The file as a line-based reader sees it: split on CR and on LF."""
    return re.split(r"\r\n|\r|\n", raw.decode("utf-8-sig"))


def _records(raw: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def _check(raw: bytes, frame: pd.DataFrame) -> None:
    assert raw.startswith(codecs.BOM_UTF8) and not raw[3:].startswith(codecs.BOM_UTF8)  # Excel: UTF-8, once
    lines = _lines(raw)
    assert not [line for line in lines if FORMULA_LINE.match(line)]
    records = _records(raw)
    assert len(records) == len(frame) + 1  # no cell split its record
    assert all(len(r) == frame.shape[1] for r in records)
    for got, want in zip(records[0], frame.columns, strict=True):  # header cells: defused, nothing else
        assert got.replace("'", "") == str(want).replace("'", "")
    for rec, (_, row) in zip(records[1:], frame.iterrows(), strict=True):
        for got, want in zip(rec, row, strict=True):
            assert got.replace("'", "") == ("" if pd.isna(want) else str(want).replace("'", ""))


def test_report_csvs_keep_line_breaks_in_their_cell_and_start_no_line_with_a_formula(tmp_path):
    frame = _evil_frame()
    rejected = pd.DataFrame({"row": [9], "=reason": ["empty_text"], "detail": ["x\r+1"]})
    out = write_report(tmp_path / "latest", subtheme_model(), frame, rejected, _record())
    _check((out / "assignments.csv").read_bytes(), frame)
    _check((out / "rejected.csv").read_bytes(), rejected)
    records = _records((out / "assignments.csv").read_bytes())
    assert records[0][1] == '\'=HYPERLINK("http://evil")' and records[0][3] == "' +header"
    assert [r[1] for r in records[1:]] == [
        "A\r'" + ATTACK,
        "B\n'" + ATTACK,
        "C\r\n'  " + ATTACK,
        "' " + ATTACK,
        "'＝1+1",
        "'\t@SUM(A1)",
    ]
    assert [r[3] for r in records[1:]] == ["-1", "'+81 3-1234-5678", "普通の声", 'a"b,c', "", "−27.0pt"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "+1"),
        ("-1,000.5", "-1,000.5"),
        ("-1+2", "'-1+2"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("\nx", "'\nx"),
        ("　＋x", "'　＋x"),
        ("－", "'－"),
        ("a\r\n=b\n-2\r@c", "a\r\n'=b\n'-2\r'@c"),
        ("価格 = 高い", "価格 = 高い"),
        ("", ""),
        (3, 3),
        (None, None),
    ],
)
def test_defuse_cell(value, expected):
    assert defuse_cell(value) == expected


def test_plain_frames_are_written_as_before():
    frame = pd.DataFrame({"row": [0, 1], "theme_label": ["価格", "a,b"], "share": [0.5, float("nan")]})
    assert csv_text(frame) == frame.to_csv(index=False, lineterminator="\n")


def test_history_csv_goes_through_the_same_writer(tmp_path):
    from tests.test_store import _assign, _run, _themes
    from voc.cli import cli
    from voc.history.store import RunStore

    themes = _themes()
    themes["label"] = ["A\r" + ATTACK, "＝2"]
    path = tmp_path / "history.duckdb"
    with RunStore(path) as store:
        store.record_run(_run("r1", "2026-08-31T00:00:00Z"), themes, _assign())
    result = CliRunner().invoke(cli, ["history", "--history", str(path), "--run", "latest", "--format", "csv"])
    assert result.exit_code == 0, result.output
    raw = result.stdout_bytes
    assert not [line for line in _lines(raw) if FORMULA_LINE.match(line)]
    labels = [r[2] for r in _records(raw)[1:]]
    assert labels == ["A\r'" + ATTACK, "'＝2"]


def test_no_csv_is_written_outside_the_one_writer():
    """A new CSV output must use voc.report._csv, not DataFrame.to_csv or the csv module."""
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "voc").rglob("*.py")
        if p.name != "_csv.py" and re.search(r"\.to_csv\(|csv\.writer\(|csv\.DictWriter\(", p.read_text("utf-8"))
    ]
    assert offenders == []


def test_every_csv_file_of_a_report_starts_with_a_byte_order_mark(tmp_path):
    """Japanese Excel opens a CSV without a BOM as Shift_JIS: the mark is what makes 価格 show as 価格."""
    frame = pd.DataFrame({"row": [0], "theme_id": [1], "theme_label": ["価格"]})
    rejected = pd.DataFrame(columns=["row", "reason", "detail"])
    out = write_report(tmp_path / "latest", subtheme_model(), frame, rejected, _record())
    files = sorted(p.name for p in out.iterdir() if p.suffix == ".csv")
    assert files == ["assignments.csv", "rejected.csv", "subthemes.csv", "themes.csv"]
    for name in files:
        raw = (out / name).read_bytes()
        assert raw.startswith(codecs.BOM_UTF8), name
        assert pd.read_csv(out / name).columns[0] in ("row", "theme_id"), name  # pandas reads it as before
    assert (out / "assignments.csv").read_text(encoding="utf-8-sig") == "row,theme_id,theme_label\n0,1,価格\n"


def test_write_report_writes_the_mentions_it_is_given(tmp_path):
    """``write_report`` passes ``mentions`` on (it once took the argument and dropped it)."""
    import pandas as pd

    from tests._models import subtheme_model
    from voc.report.writer import write_report

    mentions = pd.DataFrame({"row": [0], "column": ["note"], "start": [0], "end": [3], "text": ["価格高"], "kind": ["voice"]})
    rejected = pd.DataFrame(columns=["row", "reason", "detail"])
    out = write_report(tmp_path / "latest", subtheme_model(), pd.DataFrame({"row": [0]}), rejected, _record(),
                       mentions=mentions)
    assert (out / "mentions.csv").read_text(encoding="utf-8-sig").splitlines()[1] == "0,note,0,3,価格高,voice"
