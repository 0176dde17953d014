"""Win rates that hold (issue #27): impact with intervals, one-outcome text columns kept out, the
rep's log never compared, a deal counted once however many statements mention a theme."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from voc.insights import difference_interval, insight_tables, one_outcome_columns, win_loss


def _deals(spec):
    rows = [(t, o) for t, o, n in spec for _ in range(n)]
    return pd.DataFrame(rows, columns=["theme_id", "outcome"])


def test_impact_is_the_overall_rate_minus_the_rate_without_the_theme():
    deals = _deals([(1, "受注", 10), (1, "失注", 30), (2, "受注", 25), (2, "失注", 25), (-1, "受注", 15),
                    (-1, "失注", 45)])
    wl = win_loss(deals, "outcome", min_count=20).set_index("theme_id")
    overall = (10 + 25 + 15) / 150
    without_1 = (25 + 15) / 110
    assert wl.loc[1, "impact"] == pytest.approx(overall - without_1)
    assert wl.loc[1, "impact"] == pytest.approx(40 / 150 * wl.loc[1, "effect"])
    assert wl.loc[1, "impact_low"] < wl.loc[1, "impact"] < wl.loc[1, "impact_high"]
    assert wl.loc[1, "effect_low"] < wl.loc[1, "effect"] < wl.loc[1, "effect_high"]
    assert wl["q_value"].notna().all()  # Benjamini–Hochberg still over the themes


def test_newcombe_interval_matches_the_published_example():
    # Newcombe (1998), Statistics in Medicine 17:873, table II, method 10, examples (a)-(d)
    published = {(56, 70, 48, 80): (0.0524, 0.3339), (9, 10, 3, 10): (0.1705, 0.8090),
                 (6, 7, 2, 7): (0.0582, 0.8062), (5, 56, 0, 29): (-0.0381, 0.1926)}
    for counts, (low, high) in published.items():
        d, lo, hi = difference_interval(*counts)
        assert d == pytest.approx(counts[0] / counts[1] - counts[2] / counts[3])
        assert (round(lo, 4), round(hi, 4)) == (low, high)
    assert all(math.isnan(x) for x in difference_interval(0, 0, 3, 10))


def test_impact_is_nan_with_too_few_deals():
    wl = win_loss(_deals([(1, "受注", 2), (1, "失注", 3), (-1, "受注", 30), (-1, "失注", 30)]), "outcome",
                  min_count=20)
    assert math.isnan(wl["impact"].iloc[0]) and wl["note"].iloc[0]


def _frame():
    n = 80
    won = np.arange(n) % 2 == 0
    return pd.DataFrame({
        "row": np.arange(n),
        "outcome": np.where(won, "受注", "失注"),
        "call_note": ["メモ"] * n,
        "lost_reason": np.where(won, "", "価格が高い"),
    })


def test_a_column_filled_only_on_lost_deals_is_found_and_named():
    frame = _frame()
    outcomes = pd.Series(np.where(frame["outcome"] == "受注", "won", "lost"))
    table = one_outcome_columns(frame, ["call_note", "lost_reason"], outcomes).set_index("column")
    assert not table.loc["call_note", "excluded"] and table.loc["call_note", "reason"] == ""
    assert table.loc["lost_reason", "excluded"]
    assert table.loc["lost_reason", "lost"] == 40 and table.loc["lost_reason", "won"] == 0
    assert "100% が失注" in table.loc["lost_reason", "reason"] and "受注 0 件" in table.loc["lost_reason", "reason"]


def test_the_one_outcome_rule_has_two_sides():
    frame = _frame()
    frame.loc[frame.index[:4:2], "lost_reason"] = "価格"  # 2 won deals of 42 filled: 95.2% lost
    outcomes = pd.Series(np.where(frame["outcome"] == "受注", "won", "lost"))
    assert one_outcome_columns(frame, ["lost_reason"], outcomes)["excluded"].item()
    frame.loc[frame.index[:8:2], "lost_reason"] = "価格"  # 4 of 44: 90.9% lost
    assert not one_outcome_columns(frame, ["lost_reason"], outcomes)["excluded"].item()
    few = frame.iloc[:30]  # 15 lost deals filled: below min_filled
    assert not one_outcome_columns(few, ["lost_reason"], outcomes.iloc[:30], min_filled=20)["excluded"].item()


def _long(frame):
    """Theme 1 said in every lost_reason and in the call note of every 3rd deal (won and lost
    alike), twice in deal 0; theme 2 only in the rep's log of won deals."""
    units = []
    for r in frame["row"]:
        if frame.at[r, "lost_reason"]:
            units.append((r, "lost_reason", "voice", 1))
        if r % 3 == 0:
            units += [(r, "call_note", "voice", 1)] * (2 if r == 0 else 1)
        if frame.at[r, "outcome"] == "受注":
            units.append((r, "call_note", "log", 2))
    long = pd.DataFrame(units, columns=["row", "column", "kind", "theme_id"])
    long.insert(0, "unit", range(len(long)))
    long["subtheme_id"] = -1
    return long


def test_win_rates_use_voice_units_of_usable_columns_only():
    frame = _frame()
    long = _long(frame)
    kept = frame.drop(columns=["outcome"])
    outcomes = pd.Series(np.where(frame["outcome"] == "受注", "won", "lost"))
    naive = insight_tables(long, kept, frame, outcome_column="outcome", outcomes=outcomes, min_count=5).winloss
    held = insight_tables(long, kept, frame, outcome_column="outcome", outcomes=outcomes, min_count=5,
                          excluded_columns=["lost_reason"]).winloss
    assert 2 not in set(naive["theme_id"]) | set(held["theme_id"])  # the rep's log is never compared
    one_naive = naive.set_index("theme_id").loc[1]
    one = held.set_index("theme_id").loc[1]
    assert one_naive["effect"] < -0.5  # every lost deal "mentions" it through 失注理由
    # deals 0, 3, 6 … 78 through their call notes: 27 deals (deal 0 once), 14 of them won
    assert one["n_with"] == 27 and one["n_won"] == 14
    assert abs(one["effect"]) < 0.1 and one["effect_low"] < 0 < one["effect_high"]
