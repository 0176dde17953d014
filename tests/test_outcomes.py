"""Outcome words of the CRMs used in Japan map to won / lost / open; an unusable column is a clear error."""

from __future__ import annotations

import pandas as pd
import pytest

from voc.errors import ConfigError, InputError, OutcomeError
from voc.read.outcomes import OUTCOMES, check_outcomes, map_outcomes, outcome_key, outcome_record


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # Salesforce フェーズ, English and Japanese UIs
        ("Closed Won", "won"),
        ("Closed Lost", "lost"),
        ("商談成立", "won"),
        ("成立", "won"),
        ("不成立", "lost"),
        ("Negotiation/Review", "open"),
        ("交渉", "open"),
        # HubSpot labels, internal names, Japanese UI
        ("closedwon", "won"),
        ("closedlost", "lost"),
        ("Closed won", "won"),
        ("成約", "won"),
        ("失注", "lost"),
        ("appointmentscheduled", "open"),
        ("Contract sent", "open"),
        # Dynamics 状態 / ステータス理由
        ("Won", "won"),
        ("Lost", "lost"),
        ("Open", "open"),
        ("Out-Sold", "lost"),
        ("In Progress", "open"),
        ("受注", "won"),
        ("オープン", "open"),
        # Zoho
        ("Closed Lost to Competition", "lost"),
        # Japanese SFAs and kintone apps
        ("不成約", "lost"),
        ("商談中", "open"),
        ("受注見込み", "open"),
        ("商談中止", "lost"),
        # normalisation: width, case, spaces, separators, stage numbers
        ("ＣＬＯＳＥＤ　ＷＯＮ", "won"),
        ("closed_won", "won"),
        (" 受注 ", "won"),
        ("06_受注", "won"),
        ("7. Closed Lost", "lost"),
        ("(3) 提案", "open"),
        ("ｳｫﾝ", "open"),
        # unknown words and blanks count as open
        ("検収待ち", "open"),
        ("", "open"),
    ],
)
def test_default_vocabulary(value: str, expected: str) -> None:
    assert map_outcomes(pd.Series([value])).outcome.tolist() == [expected]


@pytest.mark.parametrize(
    ("won", "lost"),
    [
        ("受注", "失注"),
        ("成約", "失注"),
        ("成約", "不成約"),
        ("成立", "不成立"),
        ("Closed Won", "Closed Lost"),
        ("closedwon", "closedlost"),
        ("Won", "Lost"),
    ],
)
def test_the_pairs_the_issue_names(won: str, lost: str) -> None:
    m = map_outcomes(pd.Series([won, lost, won]))
    assert (m.n_won, m.n_lost, m.n_open) == (2, 1, 0)


def test_values_table_counts_and_sources() -> None:
    col = pd.Series(["Closed Won", "Closed Lost", "Closed Lost", "検収待ち", "", None, "交渉"], index=range(10, 17))
    m = map_outcomes(col)
    assert m.outcome.index.tolist() == list(range(10, 17))
    assert m.outcome.tolist() == ["won", "lost", "lost", "open", "open", "open", "open"]
    table = m.values.set_index("value")
    assert table.loc["Closed Lost", "count"] == 2 and m.values["count"].is_monotonic_decreasing
    assert table.loc["検収待ち", "source"] == "unmapped" and table.loc["", "source"] == "blank"
    assert table.loc["", "count"] == 2 and table.loc["交渉", "source"] == "default"
    assert m.unmapped == [("検収待ち", 1)]
    assert m.coverage == pytest.approx(4 / 5)
    d = m.to_dict()
    assert d["counts"] == {"won": 1, "lost": 2, "open": 4} and d["unmapped"] == ["検収待ち"]
    assert sum(v["count"] for v in d["values"]) == len(col)
    assert OUTCOMES == ("won", "lost", "open")


def test_configured_values_add_to_and_win_over_the_defaults() -> None:
    col = pd.Series(["8. 契約締結済", "お見送り", "受注", "Won"])
    m = map_outcomes(col, won_values=["契約締結済"], lost_values=["お見送り"], open_values=["受注"])
    assert m.outcome.tolist() == ["won", "lost", "open", "won"]
    assert m.values.set_index("value").loc["受注", "source"] == "configured"
    assert map_outcomes(col, won_values="契約締結済").outcome.tolist()[0] == "won"  # a string is one value
    with pytest.raises(ConfigError, match="both"):
        map_outcomes(col, won_values=["受注"], lost_values=["ＪＵＣＨＵ", "受注"])


def test_key_is_exact_after_normalising() -> None:
    assert outcome_key("Closed-Won") == outcome_key("closed won") == "closedwon"
    assert outcome_key("受注見込み") != outcome_key("受注")
    assert outcome_key("2024-11-01") == "20241101"  # a date keeps its digits


def test_no_won_or_lost_value_is_an_error_naming_file_column_values_and_keys() -> None:
    col = pd.Series(["検収待ち"] * 5 + ["契約準備"] * 3 + ["", "請求済"])
    m = map_outcomes(col)
    with pytest.raises(OutcomeError) as err:
        check_outcomes(m, path="exports/sf.csv", column="フェーズ")
    msg = str(err.value)
    assert isinstance(err.value, InputError) and err.value.exit_code == 2
    assert "exports/sf.csv" in msg and "'フェーズ'" in msg
    assert "'検収待ち' (5), '契約準備' (3), '請求済' (1)" in msg
    assert "won_values" in msg and "lost_values" in msg and "--won-value" in msg and "--lost-value" in msg
    assert err.value.values[0] == ("検収待ち", 5)
    with pytest.raises(OutcomeError, match="every cell is blank"):
        check_outcomes(map_outcomes(pd.Series(["", None])), path="x.csv", column="outcome")


def test_only_lost_deals_is_not_an_error() -> None:
    check_outcomes(map_outcomes(pd.Series(["失注", "進行中"])), path="x.csv", column="outcome")
    check_outcomes(map_outcomes(pd.Series(["受注"])), path="x.csv", column="outcome")


def test_outcome_record_counts_texts_on_won_and_lost_deals() -> None:
    m = map_outcomes(pd.Series(["受注", "失注", "失注", "進行中"], index=[5, 6, 7, 8]))
    rec = outcome_record(m, column="outcome", analysed=pd.Series([False, True, True, True]))
    assert rec["column"] == "outcome" and rec["won_with_text"] == 0 and rec["lost_with_text"] == 2
    assert rec["counts"] == {"won": 1, "lost": 2, "open": 1}
