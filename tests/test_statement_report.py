"""The sample report by statements (corpus/voc.toml: call_note + lost_reason, issue #27): mentions
with offsets into the export, one assignments line per row with all its themes, deals counted once,
the rep's log apart, the one-outcome column kept out of win rates, and ids that hold."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from voc.clean import normalize_text

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus" / "sample_crm_export.csv"


@pytest.fixture(scope="module")
def files(sample_report):
    out = Path(sample_report.out_dir)
    read = {"dtype": {"deal_id": str}, "keep_default_na": False}
    return {name: pd.read_csv(out / f"{name}.csv", **read) for name in ("mentions", "assignments", "themes")}


def test_mentions_point_into_the_export_as_it_is(files):
    export = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)
    mentions = files["mentions"]
    assert set(mentions["kind"]) == {"voice", "log"}
    assert set(mentions["column"]) == {"call_note", "lost_reason"}
    same = 0
    for m in mentions.head(3000).itertuples():
        raw = export.at[m.row, m.column][m.start : m.end]
        assert raw.strip() == raw and raw, m
        same += normalize_text(raw) == m.text
    assert same / 3000 > 0.9  # the rest: masked personal data, or a word-less statement joined on


def test_one_line_per_row_with_every_theme_its_statements_mention(files, sample_report):
    asg, mentions = files["assignments"], files["mentions"]
    assert asg["row"].is_unique and len(asg) == sample_report.run.rows.kept
    said = mentions[(mentions["kind"] == "voice") & (mentions["theme_id"].astype(int) >= 0)]
    want = said.groupby("row")["theme_id"].agg(lambda s: "|".join(str(t) for t in sorted(set(s.astype(int)))))
    got = asg.set_index("row")["theme_ids"]
    assert got.loc[want.index].tolist() == want.tolist()
    main = asg[asg["theme_id"] >= 0]
    assert all(str(t) in ids.split("|") for t, ids in zip(main["theme_id"], main["theme_ids"], strict=True))
    assert (asg.loc[asg["theme_ids"] == "", "theme_id"] == -1).all()


def test_the_log_is_apart_and_themes_count_deals(files, sample_report):
    mentions, themes = files["mentions"], files["themes"]
    log = mentions[mentions["kind"] == "log"]
    assert len(log) > 0 and (log["theme_id"] == -1).all() and (log["theme_label"] == "").all()
    said = mentions[mentions["kind"] == "voice"]
    deals = said.groupby("theme_id")["row"].nunique()
    counted = themes.set_index("theme_id")
    assert (counted["deals"] == deals.loc[counted.index]).all()
    assert (counted["mentions"] == said.groupby("theme_id").size().loc[counted.index]).all()
    assert (counted["size"] == counted["deals"]).all() and (counted["deals"] <= counted["mentions"]).all()
    model = sample_report.report
    assert model.unit == "statement" and sum(r.statements for r in model.log) == len(log)
    assert sample_report.run.units == {"unit": "statement", "units": len(mentions), "voice": len(said),
                                       "log": len(log)}


def test_subthemes_count_deals_too(files, sample_report):
    """A sub-theme's size is its deals (distinct rows of its voice statements), its share of the
    parent theme's deals, and ``mentions`` its statements, as for themes."""
    out = Path(sample_report.out_dir)
    subs = pd.read_csv(out / "subthemes.csv", keep_default_na=False)
    said = files["mentions"][files["mentions"]["kind"] == "voice"]
    said = said[said["subtheme_id"].astype(int) >= 0]
    assert len(subs) > 0 and len(said) > 0
    deals = said.groupby("subtheme_id")["row"].nunique()
    mentions = said.groupby("subtheme_id").size()
    theme_deals = files["themes"].set_index("theme_id")["deals"]
    by_id = subs.set_index("subtheme_id")
    assert (by_id["size"] == deals.loc[by_id.index]).all()
    assert (by_id["mentions"] == mentions.loc[by_id.index]).all()
    assert (by_id["size"] < by_id["mentions"]).any()  # some deal says a sub-theme twice: counted once
    share = by_id["size"] / by_id["theme_id"].map(theme_deals)
    assert ((by_id["share"] - share).abs() < 1e-6).all()
    for t in sample_report.report.themes:
        for s in t.subthemes:
            assert (s.size, s.mentions) == (int(deals.loc[s.subtheme_id]), int(mentions.loc[s.subtheme_id]))


def test_the_lost_only_column_is_kept_out_of_win_rates(sample_report):
    model = sample_report.report
    assert [e["column"] for e in model.excluded_columns] == ["lost_reason"]
    assert model.excluded_columns[0]["won"] == 0 and "が失注です" in model.excluded_columns[0]["reason"]
    index = (Path(sample_report.out_dir) / "index.html").read_text(encoding="utf-8")
    assert "lost_reason: 記入のある終了済みの商談" in index and "受注率の比較から外しています" in index
    rates = {t.theme_id: t.winloss for t in model.themes if t.winloss.get("enough")}
    assert rates, "no theme has a win rate: the call notes should give some"
    mentions = pd.read_csv(Path(sample_report.out_dir) / "mentions.csv", dtype={"deal_id": str})
    outcome = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)["outcome"]
    noted = mentions[(mentions["kind"] == "voice") & (mentions["column"] == "call_note")]
    for theme_id, w in rates.items():  # the deals "with" a theme are those whose call notes say it
        rows = set(noted.loc[noted["theme_id"] == theme_id, "row"])
        closed = [outcome[r] for r in rows if outcome[r] in ("受注", "失注")]
        assert (w["n_won"], w["n_lost"]) == (closed.count("受注"), closed.count("失注")), theme_id
        assert w["impact_low"] <= w["impact"] <= w["impact_high"]


def test_themes_follow_the_planted_concerns(sample_report):
    """bench.sample_themes on this report: the statements' themes are each mostly one concern the
    generator planted (measured 26 of 32 at purity >= 0.6 when the statements landed; by rows the
    same corpus gave 7 of 34, issue #27)."""
    from bench.sample_themes import measure

    figures = measure(Path(sample_report.out_dir))
    assert figures["statements_found"] > 0.95
    assert figures["log_precision"] > 0.95 and figures["log_recall"] > 0.95
    assert figures["themes_purity_ge_0.6"] >= 0.6 * figures["themes"], figures


def test_a_second_run_on_the_same_export_keeps_every_id(sample_report, tmp_path):
    from voc.config import load_config
    from voc.pipeline import run_report

    # on a copy of the session's report folder (with its history): the shared one stays as it was
    shutil.copytree(Path(sample_report.out_dir).parent, tmp_path / "copy", symlinks=True)
    out = tmp_path / "copy" / Path(sample_report.out_dir).name
    config = load_config(ROOT / "corpus" / "voc.toml").override({"output.dir": str(out)})
    again = run_report(config)
    assert again.run.previous_run_id == sample_report.run.run_id
    assert sorted(again.themes["theme_id"]) == sorted(sample_report.themes["theme_id"])
    assert set(again.themes["status"]) == {""}


def test_statement_ids_hold_across_two_windows(tmp_path):
    """Run 1 until 2026-06-30, run 2 on everything, 16 themes of statements: a run-2 theme made
    mostly (J ≥ 0.5) of one run-1 theme's statements carries its id, and a kept id names largely the
    same statements (J ≥ 0.25; judged on the statements both runs read, by their offsets)."""
    from voc.config import load_config
    from voc.pipeline import run_report

    base = {"output.dir": str(tmp_path / "reports" / "latest"), "model.n_themes": 16, "model.subthemes": False}
    runs = [run_report(load_config(ROOT / "corpus" / "voc.toml").override({**base, **extra}))
            for extra in ({"input.until": "2026-06-30"}, {})]
    m1, m2 = (pd.read_csv(r.out_dir / "mentions.csv", dtype=str, keep_default_na=False) for r in runs)
    m = m1.merge(m2, on=["row", "column", "start", "end"], suffixes=("_1", "_2"))
    m = m[(m["kind_1"] == "voice") & (m["theme_id_1"] != "-1") & (m["theme_id_2"] != "-1")]
    n1, n2 = m.groupby("theme_id_1").size(), m.groupby("theme_id_2").size()
    ct = m.groupby(["theme_id_1", "theme_id_2"]).size().rename("n").reset_index()
    ct["j"] = ct["n"] / (ct["theme_id_1"].map(n1) + ct["theme_id_2"].map(n2) - ct["n"])
    best = ct.sort_values("j", ascending=False).groupby("theme_id_2").head(1)
    clear = best[best["j"] >= 0.5]
    assert len(clear) >= 4, best
    assert (clear["theme_id_1"] == clear["theme_id_2"]).all(), clear
    same = ct[ct["theme_id_1"] == ct["theme_id_2"]].set_index("theme_id_1")["j"]
    kept = [str(t) for t, s in zip(runs[1].themes["theme_id"], runs[1].themes["status"], strict=True) if s == ""]
    assert kept and all(same.get(t, 0.0) >= 0.25 for t in kept), same
