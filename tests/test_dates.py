"""One date parser for `voc inspect`, the --since/--until window and the monthly trends."""

from __future__ import annotations

import json
import logging

import jsonschema
import pandas as pd
import pytest

from voc.errors import InputError
from voc.insights import monthly_trend
from voc.inspect import _column
from voc.read import date_summary, filter_window, parse_dates

DATES = [
    ("2024-11-14", "2024-11-14"),
    ("2024/11/14 9:00", "2024-11-14"),
    ("2024.11.14", "2024-11-14"),
    ("2024年11月14日", "2024-11-14"),
    ("２０２４年１１月１４日", "2024-11-14"),
    ("令和6年11月14日", "2024-11-14"),
    ("令和元年5月1日", "2019-05-01"),
    ("R6.11.14", "2024-11-14"),
    ("平成31年4月30日", "2019-04-30"),
    ("Nov 14, 2024", "2024-11-14"),
    ("November 14 2024", "2024-11-14"),
    ("Thursday, November 14, 2024", "2024-11-14"),
    ("14 Nov 2024", "2024-11-14"),
    ("14-Nov-2024", "2024-11-14"),
    ("11/14/2024 9:00 AM", "2024-11-14"),
    ("2024-11-14T23:30:00Z", "2024-11-14"),
    ("2024-11-14 00:00:00+09:00", "2024-11-14"),
]
NOT_DATES = ["12", "3月", "2024", "来週", "2024-02-30", "2024-13-01", "Novembre 14 2024", "D-000123", "N/A"]


@pytest.mark.parametrize(("value", "day"), DATES)
def test_each_written_date_is_read(value: str, day: str) -> None:
    assert parse_dates([value])[0].strftime("%Y-%m-%d") == day


@pytest.mark.parametrize("value", NOT_DATES)
def test_what_is_not_a_date_is_not_read(value: str) -> None:
    assert pd.isna(parse_dates([value])[0])


def test_day_first_when_a_value_says_so() -> None:
    assert parse_dates(["03/04/2024", "25/04/2024"]).dt.strftime("%Y-%m-%d").tolist() == ["2024-04-03", "2024-04-25"]
    assert parse_dates(["03/04/2024", "04/25/2024"]).dt.strftime("%Y-%m-%d").tolist() == ["2024-03-04", "2024-04-25"]


@pytest.mark.parametrize(("value", "day"), DATES)
def test_inspect_and_the_report_agree(value: str, day: str) -> None:
    """What inspect calls a date column, the trends count by month, and the window keeps."""
    values = pd.Series([value] * 5)
    assert _column("日付", values, 5).type == "date"
    docs = pd.DataFrame({"theme_id": [0] * 5, "日付": values, "row": range(5)})
    assert monthly_trend(docs, "日付")["month"].tolist() == [day[:7]]
    inside, rejected = filter_window(docs, "日付", day, day)
    assert len(inside) == 5 and rejected.empty


def test_the_window_says_when_every_row_is_outside_it() -> None:
    frame = pd.DataFrame({"row": range(4), "日付": ["2024/01/05", "2024年3月1日", "", "来週"]})
    with pytest.raises(InputError) as err:
        filter_window(frame, "日付", "2025-01-01", None, path="x.csv")
    msg = str(err.value)
    assert "x.csv" in msg and "every one of the 4 rows is outside the window 2025-01-01〜…" in msg
    assert "from 2024-01-05 to 2024-03-01" in msg and "1 rows have no date" in msg and "'来週'" in msg
    assert "--since" in msg and "text-column" not in msg


def test_unread_dates_are_counted_warned_and_in_run_json(caplog) -> None:
    from types import SimpleNamespace

    from tests.test_record import _record
    from voc.pipeline._read import _dates
    from voc.report.record import run_schema

    export = SimpleNamespace(path="x.csv", frame=pd.DataFrame({"d": ["2024-01-01", "来週", "", "13/13/2024"]}))
    with caplog.at_level(logging.WARNING):
        dates = _dates(export, "d")
    assert dates == {"column": "d", "n_dates": 1, "n_empty": 1, "n_unparsed": 2, "examples": ["来週", "13/13/2024"],
                     "first": "2024-01-01", "last": "2024-01-01"}
    assert "2 of 4 values of the date column 'd'" in caplog.text and "'来週'" in caplog.text
    jsonschema.Draft202012Validator(run_schema()).validate(json.loads(_record(dates=dates).to_json()))
    assert date_summary(pd.Series(["2024-01-01"]), "d").n_unparsed == 0


def test_the_summary_names_unread_dates() -> None:
    from voc.report import ReportModel
    from voc.report.markdown import render_markdown

    model = ReportModel(title="t", input_name="x.csv", themes=[], rows={"read": 2, "kept": 2, "rejected": 0},
                        rejected_by_reason={}, n_unassigned=0,
                        dates={"column": "日付", "n_unparsed": 1, "examples": ["来週"]})
    assert "日付列 日付 の 1 行は日付として読めず" in render_markdown(model)
