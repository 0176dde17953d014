"""voc.insights: statistics against published values, and each insight on small known tables."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from voc.insights import (
    TOO_FEW,
    benjamini_hochberg,
    compare_runs,
    competitor_mentions,
    emerging_themes,
    monthly_trend,
    segment_lift,
    wilson_interval,
    win_loss,
)

ROOT = Path(__file__).resolve().parent.parent


# Newcombe (1998), "Two-sided confidence intervals for the single proportion", Table I, method 3
# (Wilson score interval without continuity correction), 95 %.
@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718)],
)
def test_wilson_interval_matches_newcombe_1998(k, n, low, high):
    lo, hi = wilson_interval(k, n)
    assert lo == pytest.approx(low, abs=5e-5)
    assert hi == pytest.approx(high, abs=5e-5)


def test_wilson_interval_edge_cases():
    assert all(math.isnan(v) for v in wilson_interval(0, 0))
    lo, hi = wilson_interval(20, 20)
    assert hi == 1.0 and 0.83 < lo < 0.84  # mirror of 0/20
    with pytest.raises(ValueError):
        wilson_interval(5, 3)


@pytest.mark.parametrize(
    ("p", "q"),
    [
        # R: p.adjust(c(0.01, 0.02, 0.03, 0.04, 0.05), "BH")
        ([0.01, 0.02, 0.03, 0.04, 0.05], [0.05, 0.05, 0.05, 0.05, 0.05]),
        # by hand: sorted 0.005, 0.01, 0.03, 0.04 → ×4/rank = 0.02, 0.02, 0.04, 0.04 (running min from the top)
        ([0.01, 0.04, 0.03, 0.005], [0.02, 0.04, 0.04, 0.02]),
        # R: p.adjust(c(0.001, 0.3, 0.04, 0.9), "BH") = 0.004 0.4 0.08 0.9
        ([0.001, 0.3, 0.04, 0.9], [0.004, 0.4, 0.08, 0.9]),
    ],
)
def test_benjamini_hochberg_known_values(p, q):
    assert benjamini_hochberg(p) == pytest.approx(q)


def test_benjamini_hochberg_keeps_nan_out_of_the_family():
    q = benjamini_hochberg([0.01, float("nan"), 0.04])
    assert math.isnan(q[1])
    assert q[[0, 2]] == pytest.approx([0.02, 0.04])


def _deals(spec):
    """spec: list of (theme_id, outcome, count)."""
    rows = [(t, o) for t, o, n in spec for _ in range(n)]
    return pd.DataFrame(rows, columns=["theme_id", "outcome"])


def test_win_loss_rates_shares_and_intervals():
    # theme 1: 10 won, 30 lost; theme 2: 25 won, 25 lost; no text: 15 won, 45 lost; 進行中 ignored.
    deals = _deals([(1, "受注", 10), (1, "失注", 30), (2, "受注", 25), (2, "失注", 25), (-1, "受注", 15),
                    (-1, "失注", 45), (1, "進行中", 7)])
    wl = win_loss(deals, "outcome", min_count=20).set_index("theme_id")
    one = wl.loc[1]
    assert (one.n_won, one.n_lost, one.n_with, one.n_without) == (10, 30, 40, 110)
    assert one.win_rate_with == pytest.approx(10 / 40)
    assert one.win_rate_without == pytest.approx(40 / 110)  # theme 2 and the deals without text
    assert one.effect == pytest.approx(10 / 40 - 40 / 110)
    assert (one.win_rate_with_low, one.win_rate_with_high) == pytest.approx(wilson_interval(10, 40))
    assert one.share_won == pytest.approx(10 / 50) and one.share_lost == pytest.approx(30 / 100)
    assert (one.share_lost_low, one.share_lost_high) == pytest.approx(wilson_interval(30, 100))
    assert bool(one.enough) and one.note == ""
    assert 0 < one.p_value <= 1 and one.q_value >= one.p_value
    two = wl.loc[2]
    assert two.win_rate_with == pytest.approx(0.5) and two.effect > 0


def test_win_loss_says_too_few_below_min_count():
    deals = _deals([(1, "受注", 3), (1, "失注", 4), (2, "受注", 40), (2, "失注", 40)])
    wl = win_loss(deals, "outcome", min_count=20).set_index("theme_id")
    assert not wl.loc[1, "enough"]
    assert wl.loc[1, "note"].startswith(TOO_FEW) and "n=7" in wl.loc[1, "note"]
    assert math.isnan(wl.loc[1, "win_rate_with"]) and math.isnan(wl.loc[1, "effect"])
    assert wl.loc[1, "n_won"] == 3  # counts are still reported


def test_segment_lift_finds_the_planted_segment_and_controls_fdr():
    rng = np.random.default_rng(0)
    n = 600
    industry = rng.choice(["製造業", "金融・保険", "小売"], size=n)
    region = rng.choice(["関東", "関西"], size=n)
    p = np.where(industry == "金融・保険", 0.5, 0.1)  # theme 1 over-represented in 金融・保険 only
    theme = np.where(rng.random(n) < p, 1, 2)
    docs = pd.DataFrame({"theme_id": theme, "industry": industry, "region": region})
    seg = segment_lift(docs, ["industry", "region"], min_count=10)
    sig = seg[seg["significant"]]
    assert set(zip(sig.theme_id, sig.column, sig.value, strict=True)) >= {(1, "industry", "金融・保険")}
    assert not ((sig.column == "region").any())
    assert (seg["q_value"] >= seg["p_value"] - 1e-12).all()
    row = seg[(seg.theme_id == 1) & (seg.value == "金融・保険")].iloc[0]
    assert row["lift"] == pytest.approx(row["share"] / row["share_overall"]) and row["lift"] > 2
    assert set(seg.columns) == {"theme_id", "column", "value", "n", "count", "share", "share_overall", "lift",
                                "p_value", "q_value", "significant"}


def test_competitor_mentions_counts_records_and_splits_lists():
    docs = pd.DataFrame({
        "theme_id": [1, 1, 1, 1, 2, -1],
        "competitor": ["NovaCRM", "NovaCRM、DealPilot", "", "novacrm ", "DealPilot", "NovaCRM"],
    })
    comp = competitor_mentions(docs, "competitor")
    got = {(t, c): (n, round(s, 3)) for t, c, n, s in comp.itertuples(index=False)}
    assert got[(1, "NovaCRM")] == (2, 0.5)
    assert got[(1, "DealPilot")] == (1, 0.25)
    assert got[(2, "DealPilot")] == (1, 1.0)
    assert (1, "novacrm") in got  # names are kept as written


def test_monthly_trend_fills_empty_months():
    docs = pd.DataFrame({"theme_id": [1, 1, 2, -1], "d": ["2026-01-05", "2026-03-01", "2026-03-20", "2026-03-31"]})
    tr = monthly_trend(docs, "d")
    one = tr[tr.theme_id == 1]
    assert one["month"].tolist() == ["2026-01", "2026-02", "2026-03"]
    assert one["count"].tolist() == [1, 0, 1]
    assert one["share"].tolist() == pytest.approx([1.0, 0.0, 1 / 3])


def test_emerging_on_the_sample_corpus_with_true_themes():
    """The generator plants a rise of the competitor theme from 2026-05 (closed_date); price is stable."""
    data = pd.read_csv(ROOT / "corpus" / "sample_crm_export.csv", dtype=str).fillna("")
    truth = pd.read_csv(ROOT / "corpus" / "sample_crm_export.truth.csv", dtype=str).fillna("")
    keys = sorted(k for k in truth["lost_reason_theme"].unique() if k)
    data["theme_id"] = truth["lost_reason_theme"].map({k: i for i, k in enumerate(keys)}).fillna(-1).astype(int)
    lost = data[data["outcome"] == "失注"]
    em = emerging_themes(lost, "closed_date").set_index("theme_id")
    assert em.loc[keys.index("competitor"), "emerging"]
    assert not em.loc[keys.index("price"), "emerging"]
    assert em["emerging"].sum() == 1
    assert em["recent_to"].iloc[0] == "2026-10" and em["recent_from"].iloc[0] == "2026-08"


def test_emerging_needs_the_earlier_period():
    docs = pd.DataFrame({"theme_id": [1, 1, 2], "d": ["2026-01-01", "2026-02-01", "2026-02-01"]})
    assert not emerging_themes(docs, "d", recent_months=3)["emerging"].any()


def test_compare_runs():
    previous = pd.DataFrame({"theme_id": [1, 2, 3, 4], "size": [100, 100, 100, 100], "label": ["a", "b", "c", "d"]})
    current = pd.DataFrame({
        "theme_id": [1, 2, 3, 9], "size": [300, 20, 105, 50], "status": ["", "", "", "新規"],
    })
    ch = compare_runs(current, previous, n_current=1000, n_previous=1000)
    assert ch == {"new": [9], "growing": [1], "shrinking": [2], "vanished": [{"id": 4, "label": "d"}]}


def test_fisher_greater_many_equals_scipy_table_by_table():
    """The vectorized one-sided Fisher test gives scipy's p-values bit for bit, edge cases included
    (a zero row or column: p = 1; a = 0; a table that is all in one cell)."""
    from scipy.stats import fisher_exact

    from voc.insights._tables import _fisher_greater_many

    rng = np.random.default_rng(0)
    tables = [tuple(int(v) for v in rng.integers(0, 60, size=4)) for _ in range(400)]
    tables += [(0, 0, 5, 7), (3, 4, 0, 0), (0, 5, 0, 9), (4, 0, 6, 0), (0, 3, 4, 5), (9, 0, 0, 0), (0, 0, 0, 0)]
    tables += [(int(a), int(n - a), int(c), int(9169 - n - c)) for a, n, c in [(120, 400, 80), (3, 230, 200), (0, 150, 240)]]
    got = _fisher_greater_many(*np.array(tables).T)
    want = [fisher_exact([[a, b], [c, d]], alternative="greater").pvalue for a, b, c, d in tables]
    assert got.tolist() == [float(w) for w in want]
    assert _fisher_greater_many(*np.zeros((4, 0), dtype=int)).shape == (0,)


def test_win_loss_reads_outcomes_as_the_report_does():
    """win_loss reads the outcome column with voc.read.outcomes (the report's vocabulary, overridable):
    a Zoho / Salesforce export's Closed Won / Closed Lost counts, not only 受注 / 失注, and the
    notebook's table equals the report's for the same deals."""
    from voc.insights import insight_tables
    from voc.read.outcomes import map_outcomes

    zoho = _deals([(1, "Closed Won", 10), (1, "Closed Lost", 30), (2, "Closed Won", 25), (2, "Closed Lost", 25),
                   (-1, "Closed Won", 15), (-1, "Closed Lost to Competition", 45), (1, "Negotiation/Review", 7)])
    wl = win_loss(zoho, "outcome", min_count=20).set_index("theme_id")
    ja = win_loss(_deals([(1, "受注", 10), (1, "失注", 30), (2, "受注", 25), (2, "失注", 25), (-1, "受注", 15),
                          (-1, "失注", 45), (1, "進行中", 7)]), "outcome", min_count=20).set_index("theme_id")
    pd.testing.assert_frame_equal(wl, ja)
    assert (wl.loc[1, "n_won"], wl.loc[1, "n_lost"]) == (10, 30)
    # an org's own words win over the defaults, as [input] won_values / lost_values do
    own = zoho.replace({"Closed Won": "06_発注いただいた", "Closed Lost": "見送"})
    assert win_loss(own, "outcome", min_count=20)["n_won"].sum() == 0
    mine = win_loss(own, "outcome", won_values=["発注いただいた"], lost_values=["見送"], min_count=20)
    pd.testing.assert_frame_equal(mine.set_index("theme_id"), wl)
    # one code path: the report's win/loss of the same deals is this table
    deals = own.assign(row=range(len(own)))
    kept = deals[deals["theme_id"] >= 0]
    long = pd.DataFrame({"unit": range(len(kept)), "row": kept["row"].to_numpy(),
                         "theme_id": kept["theme_id"].to_numpy(), "subtheme_id": -1})
    outcomes = map_outcomes(own["outcome"], ["発注いただいた"], ["見送"]).outcome
    tables = insight_tables(long, kept[["row"]], deals.drop(columns="theme_id"), outcome_column="outcome",
                            outcomes=outcomes, min_count=20)
    for t in (1, 2):
        winloss = tables.fields(t)["winloss"]
        assert winloss["n_won"] == mine.set_index("theme_id").loc[t, "n_won"]
        assert winloss["effect"] == pytest.approx(mine.set_index("theme_id").loc[t, "effect"])
