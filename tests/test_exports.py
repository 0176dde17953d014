"""Exports shaped like Salesforce, HubSpot, kintone and Dynamics (tests/data/make_exports.py) read right.

Reader level: the header row is found, report footers are rejected as ``footer``, every data row is
kept or rejected (read = kept + rejected), the outcome values map to the won and lost deals the
generator wrote, and ``voc inspect`` guesses the text, date and outcome columns.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.data import make_exports
from voc.inspect import inspect_export
from voc.read import read_export
from voc.read.outcomes import map_outcomes

SHAPES = ["salesforce_cp932", "salesforce_utf8", "salesforce_en", "hubspot", "kintone", "dynamics"]


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return make_exports.write_exports(tmp_path_factory.mktemp("exports"), n=240, seed=0)


def test_generator_is_seeded(tmp_path: Path, exports: dict) -> None:
    again = make_exports.write_exports(tmp_path, n=240, seed=0)
    for name in ("salesforce_cp932", "kintone", "dynamics"):
        assert again[name].path.read_bytes() == exports[name].path.read_bytes()


def test_salesforce_cp932_is_quoted_crlf_with_yen_amounts(exports: dict) -> None:
    data = exports["salesforce_cp932"].path.read_bytes()
    text = data.decode("cp932")
    # records end in CRLF; a line break inside a quoted note (the sample's notes have some) is the cell's own
    outside_quotes = re.sub(r'"(?:[^"]|"")*"', '""', text)
    assert text.startswith('"商談名","取引先名"') and "\r\n" in text and "\n" not in outside_quotes.replace("\r\n", "")
    assert '"￥' in text and '"Closed Won"' in text and '"2024/11/' in text
    assert text.rstrip().endswith('"Copyright (c) 2000-2024 salesforce.com, inc. All rights reserved."')
    assert exports["salesforce_utf8"].path.read_bytes().startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("name", SHAPES)
def test_reader_finds_header_names_footers_and_accounts_for_rows(exports: dict, name: str) -> None:
    spec = exports[name]
    export = read_export(
        spec.path,
        text_columns=spec.text_columns,
        required_columns=[spec.date_column, spec.outcome_column, *([spec.id_column] if spec.id_column else [])],
    )
    assert export.header_row == spec.header_row
    assert export.n_read == spec.n_rows == len(export.frame) + len(export.rejected)
    rows = sorted(export.frame["row"].tolist() + export.rejected["row"].tolist())
    assert rows == list(range(export.n_read))
    footer = export.rejected[export.rejected["reason"] == "footer"]
    assert len(footer) == spec.n_footer and len(export.rejected) == spec.n_footer
    if spec.n_footer:
        assert footer["row"].min() == export.n_read - spec.n_footer  # the footer is the end of the file
        assert any("Confidential" in d or "機密情報" in d for d in footer["detail"])
    m = map_outcomes(export.frame[spec.outcome_column])
    assert (m.n_won, m.n_lost) == (spec.n_won, spec.n_lost) and m.n_won > 0 and m.n_lost > 0
    assert {v for v, o in zip(m.values["value"], m.values["outcome"], strict=True) if o == "won"} == spec.won_values
    assert {v for v, o in zip(m.values["value"], m.values["outcome"], strict=True) if o == "lost"} == spec.lost_values


@pytest.mark.parametrize("name", SHAPES)
def test_inspect_guesses_text_date_and_outcome_columns(exports: dict, name: str) -> None:
    spec = exports[name]
    profile = inspect_export(spec.path)
    g = profile.guess
    assert profile.header_row == spec.header_row
    assert g.text_columns == spec.text_columns
    assert g.date_column == spec.date_column
    assert g.outcome_column == spec.outcome_column
    assert g.id_column == spec.id_column
    assert set(spec.segment_columns) <= set(g.segment_columns)
    assert profile.rejected == ({"footer": spec.n_footer} if spec.n_footer else {})


def test_hubspot_unknown_open_stages_are_listed_as_unmapped(exports: dict) -> None:
    profile = inspect_export(exports["hubspot"].path)
    assert set(profile.guess.unmapped_values) == {"アポ設定済み", "プレゼン予定済み", "契約書送付済み", "決裁者の賛同"}
