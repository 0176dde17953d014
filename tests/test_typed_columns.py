"""Typed numeric columns for analysts (issue #26): ``ReportResult.records`` gives numbers as
numbers; ids, codes and the configured columns stay text; the written report does not change."""

from __future__ import annotations

import pandas as pd
import pytest

from voc.read import parse_number, typed_columns


@pytest.mark.parametrize("value, number", [
    ("1,234", 1234), ("¥1,200", 1200), ("１２３４", 1234), ("1200円", 1200), ("12.5%", 12.5), ("-3", -3),
    ("△3", -3), ("▲1,000", -1000), ("0", 0), ("0.25", 0.25), ("￥５００", 500),
])
def test_numbers_as_crm_exports_write_them(value, number):
    assert parse_number(value) == number


@pytest.mark.parametrize("value", ["00123", "090-1234-5678", "1,23", "(3)", "1e5", "3万", "12/05", "abc", ""])
def test_what_is_not_a_number(value):
    assert parse_number(value) is None


def test_columns_are_typed_only_when_every_filled_value_is_a_number():
    frame = pd.DataFrame({
        "row": [0, 1, 2], "amount": ["1,200", "", "３００"], "rate": ["0.5", "1", ""],
        "zip": ["100", "200", "300"], "deal_id": ["1", "2", "3"], "code": ["00123", "00456", "00789"],
        "mixed": ["1", "two", "3"], "empty": ["", "", ""],
    })
    out = typed_columns(frame, exclude=["deal_id"])
    assert str(out["amount"].dtype) == "Int64" and out["amount"].sum() == 1500 and out["amount"].isna().tolist()[1]
    assert str(out["rate"].dtype) == "Float64"
    for column in ("zip", "deal_id", "code", "mixed", "empty"):
        assert out[column].tolist() == frame[column].tolist(), column
    assert frame["amount"].tolist() == ["1,200", "", "３００"]  # the input is not changed


def test_report_records_are_typed_and_the_files_are_not(sample_report):
    records = sample_report.records
    assert str(records["amount"].dtype) == "Int64" and records["amount"].sum() > 0
    for column in ("deal_id", "outcome", "closed_date", "call_note"):
        assert not pd.api.types.is_numeric_dtype(records[column]), column
    rows = sample_report.rows_with_themes()
    assert str(rows["amount"].dtype) == "Int64" and "outcome_as_read" in rows
    written = pd.read_csv(sample_report.out_dir / "assignments.csv", dtype=str, keep_default_na=False)
    assert written["deal_id"].str.startswith("D-").all()
