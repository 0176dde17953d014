"""The units stage (voc.units): the table of units and the long table of their themes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from voc.insights import insight_tables
from voc.units import UNIT_COLUMNS, deal_themes, make_units, unit_records, unit_themes


def _kept() -> pd.DataFrame:
    return pd.DataFrame({
        "row": [2, 3, 5],
        "text": ["価格が高い", "サポートが遅い\n導入が大変", "他社に決まった"],
        "industry": ["製造", "小売", "製造"],
        "truncated": [False, False, False],
    }, index=[10, 11, 13])


def test_make_units_is_one_unit_per_kept_row_covering_its_text():
    kept = _kept()
    tokens = [["価格", "高い"], ["サポート", "遅い", "導入", "大変"], ["他社", "決まる"]]
    units = make_units(kept, ["call_note", "lost_reason"], tokens)
    assert list(units.columns) == UNIT_COLUMNS
    assert units["unit"].tolist() == [0, 1, 2]
    assert units["row"].tolist() == [2, 3, 5]
    assert set(units["column"]) == {"call_note+lost_reason"}
    assert units["start"].tolist() == [0, 0, 0]
    assert units["end"].tolist() == [len(t) for t in kept["text"]]
    assert [t[s:e] for t, s, e in zip(units["text"], units["start"], units["end"], strict=True)] == kept["text"].tolist()
    assert units["tokens"].tolist() == tokens


def test_unit_records_give_each_unit_its_rows_columns():
    kept = _kept()
    units = make_units(kept, ["note"], [[], [], []])
    rec = unit_records(units, kept)
    assert rec["row"].tolist() == [2, 3, 5]
    assert rec["industry"].tolist() == ["製造", "小売", "製造"]
    assert rec["text"].tolist() == kept["text"].tolist()


def _two_units_in_row_3() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Row 3 split into two units of the same theme (as the statements issue will do)."""
    kept = _kept()
    units = pd.DataFrame({"unit": [0, 1, 2, 3], "row": [2, 3, 3, 5], "column": "note", "start": [0, 0, 8, 0],
                          "end": [5, 7, 13, 7], "text": ["価格が高い", "サポートが遅い", "導入が大変", "他社に決まった"],
                          "tokens": [[], [], [], []]})
    return kept, unit_themes(units, np.array([0, 1, 1, 0]), np.array([-1, 7, 8, -1]))


def test_deal_themes_counts_a_row_once_per_theme():
    kept, long = _two_units_in_row_3()
    deals = deal_themes(long, kept)
    assert deals[["row", "theme_id"]].values.tolist() == [[2, 0], [3, 1], [5, 0]]
    assert deals["industry"].tolist() == ["製造", "小売", "製造"]
    subs = deal_themes(long, kept, "subtheme_id")
    assert subs[["row", "theme_id"]].values.tolist() == [[2, -1], [3, 7], [3, 8], [5, -1]]


def test_insights_count_distinct_rows():
    kept, long = _two_units_in_row_3()
    kept = kept.assign(competitor=["", "A社", "B社"], date=["2024-01-05", "2024-01-09", "2024-02-01"])
    tables = insight_tables(long, kept, kept, competitor_column="competitor", date_column="date")
    # row 3's two units of theme 1 are one deal: A社 once, all of theme 1's deals
    assert tables.fields(1, 0)["competitors"] == [("A社", 1)]
    assert tables.fields(1, 0)["trend"] == [("2024-01", 1, 0.5), ("2024-02", 0, 0.0)]
    # its sub-themes 7 and 8 hold one deal each; sub-themes have no competitors field
    assert tables.fields(7, 1) == {"trend": [("2024-01", 1, 0.5), ("2024-02", 0, 0.0)]}
    assert set(tables.trend["level"]) == {0, 1}


def test_a_deal_with_two_themes_counts_once_in_the_totals():
    kept = _kept().assign(outcome=["受注", "失注", "受注"], date=["2024-01-05", "2024-01-09", "2024-02-01"])
    units = pd.DataFrame({"unit": [0, 1, 2, 3], "row": [2, 3, 3, 5], "column": "note", "start": [0, 0, 8, 0],
                          "end": [5, 7, 13, 7], "text": ["a", "b", "c", "d"], "tokens": [[], [], [], []]})
    long = unit_themes(units, np.array([0, 1, 0, 0]))  # row 3 mentions themes 1 and 0
    tables = insight_tables(long, kept, kept, outcome_column="outcome", date_column="date")
    zero, one = tables.fields(0, 0), tables.fields(1, 0)
    assert (zero["winloss"]["n_won"], zero["winloss"]["n_lost"]) == (2, 1)
    assert zero["winloss"]["share_won"] == 1.0 and one["winloss"]["share_lost"] == 1.0  # 1 lost deal, not 2
    assert zero["trend"][0] == ("2024-01", 2, 1.0) and one["trend"][0] == ("2024-01", 1, 0.5)  # 2 deals in January
