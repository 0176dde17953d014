"""Two scheduled runs over overlapping windows of the sample corpus, end to end.

Run 1 is ``voc report --until 2026-08-31``; between the runs a marketer edits the taxonomy file run
1 created (renames a theme, fills a marketing field, merges two themes); run 2 covers everything.
Checked: matched themes keep their ids (judged independently of voc.history.matching, by the overlap of
their documents), new ones are 新規 with fresh ids, the taxonomy is applied, the planted emerging
theme (NovaCRM, from 2026-05) is flagged and price is not, and ``voc history`` reads it all back.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from voc.cli import cli
from voc.config import load_config
from voc.history.matching import signature_similarity
from voc.history.store import RunStore
from voc.pipeline import run_report
from voc.taxonomy import load_taxonomy, save_taxonomy

ROOT = Path(__file__).resolve().parent.parent
N_THEMES = 16
RENAMED = "価格まわり（テスト）"
MESSAGE = "初期費用ゼロで小さく始める"


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("history")
    cfg_path = tmp / "voc.toml"
    cfg_path.write_text(
        f"""[input]
path = {json.dumps(str(ROOT / "corpus" / "sample_crm_export.csv"))}
text_columns = ["lost_reason"]
id_column = "deal_id"
date_column = "closed_date"
outcome_column = "outcome"
segment_columns = ["industry", "company_size", "region", "owner"]
competitor_column = "competitor"

[units]
unit = "row"  # one theme per lost reason: the ids' mechanics (statement ids: test_statement_ids.py)

[model]
n_themes = {N_THEMES}
seed = 42

[output]
dir = "reports/latest"

[taxonomy]
path = "taxonomy.toml"
""",
        encoding="utf-8",
    )
    result1 = CliRunner().invoke(cli, ["-q", "report", "--config", str(cfg_path), "--until", "2026-08-31"])
    assert result1.exit_code == 0, result1.output
    rejected1 = pd.read_csv(tmp / "reports" / "latest" / "rejected.csv", dtype=str)
    history = tmp / "reports" / "history.duckdb"
    with RunStore(history, read_only=True) as store:
        run1 = store.latest_run()
        themes1 = store.themes(run1["run_id"])
        assign1 = store.assignments(run1["run_id"])
    # The marketer's edits between the runs: every theme reviewed (renamed, messaging filled), and
    # the three most similar pairs merged (the smaller into the larger).
    tax = load_taxonomy(tmp / "taxonomy.toml")
    assert sorted(e.id for e in tax.themes) == sorted(themes1["theme_id"])
    for e in tax.themes:
        tax.rename(e.id, f"{RENAMED}{e.id}").messaging = f"{MESSAGE}{e.id}"
    merges = _similar_pairs(themes1, 3)
    for src, dst in merges:
        tax.merge(src, dst)
    save_taxonomy(tax)
    result2 = run_report(load_config(cfg_path))
    with RunStore(history, read_only=True) as store:
        themes2 = store.themes(result2.run.run_id)
        assign2 = store.assignments(result2.run.run_id)
    return {
        "tmp": tmp, "cfg": cfg_path, "rejected1": rejected1, "history": history, "run1": run1, "themes1": themes1, "assign1": assign1,
        "result2": result2, "themes2": themes2, "assign2": assign2,
        "merges": merges,
    }


def _similar_pairs(themes: pd.DataFrame, n: int) -> list[tuple[int, int]]:
    """The *n* most similar disjoint pairs of themes as (smaller id-by-size, larger)."""
    rows = themes.to_dict("records")
    scored = sorted(
        ((signature_similarity(a, b), a, b) for i, a in enumerate(rows) for b in rows[i + 1 :]),
        key=lambda x: -x[0],
    )
    used: set[int] = set()
    pairs = []
    for _, a, b in scored:
        if a["theme_id"] in used or b["theme_id"] in used:
            continue
        small, big = sorted((a, b), key=lambda r: (r["size"], -r["theme_id"]))
        pairs.append((int(small["theme_id"]), int(big["theme_id"])))
        used |= {a["theme_id"], b["theme_id"]}
        if len(pairs) == n:
            break
    return pairs


def test_run1_window_is_accounted_for(runs):
    run1 = runs["run1"]
    data = pd.read_csv(ROOT / "corpus" / "sample_crm_export.csv", dtype=str).fillna("")
    outside = int(((data["closed_date"] == "") | (data["closed_date"] > "2026-08-31")).sum())
    rejected = runs["rejected1"]
    assert int((rejected["reason"] == "outside_window").sum()) == outside
    assert run1["n_read"] == run1["n_kept"] + run1["n_rejected"] == len(data)
    assert str(run1["until"])[:10] == "2026-08-31"


def _overlap(assign1: pd.DataFrame, assign2: pd.DataFrame) -> pd.DataFrame:
    """Jaccard overlap of each run-2 theme's documents with each run-1 theme's, on shared rows."""
    m = assign1.merge(assign2, on="row", suffixes=("_1", "_2"))
    m = m[(m.theme_id_1 >= 0) & (m.theme_id_2 >= 0)]
    n1, n2 = m.groupby("theme_id_1").size(), m.groupby("theme_id_2").size()
    ct = m.groupby(["theme_id_1", "theme_id_2"]).size().rename("n").reset_index()
    ct["jaccard"] = ct.n / (ct.theme_id_1.map(n1) + ct.theme_id_2.map(n2) - ct.n)
    return ct


def test_matched_themes_keep_their_ids(runs):
    exclude = {t for pair in runs["merges"] for t in pair}
    ct = _overlap(runs["assign1"], runs["assign2"])
    best = ct.sort_values("jaccard", ascending=False).groupby("theme_id_2").head(1)
    # Themes touched by a merge are checked in test_taxonomy_merges_are_applied.
    best = best[~best.theme_id_1.isin(exclude) & ~best.theme_id_2.isin(exclude)]
    ct = ct[~ct.theme_id_1.isin(exclude) & ~ct.theme_id_2.isin(exclude)]
    ids1 = set(runs["themes1"]["theme_id"])
    # Recall: a run-2 theme made mostly of one run-1 theme's documents carries its id.
    clear = best[best.jaccard >= 0.5]
    assert len(clear) >= N_THEMES // 4, best
    for r in clear.itertuples():
        assert r.theme_id_2 == r.theme_id_1, f"run-2 theme {r.theme_id_2} is run-1 theme {r.theme_id_1} (J={r.jaccard:.2f})"
    # Precision: an id that was kept names largely the same documents.
    same = ct[ct.theme_id_1 == ct.theme_id_2].set_index("theme_id_2")["jaccard"]
    kept = [t for t in runs["themes2"]["theme_id"] if t in ids1 and t not in exclude]
    assert kept, "no id kept"
    for t in kept:
        assert same.get(t, 0.0) >= 0.25, f"theme {t} kept its id but shares few documents (J={same.get(t, 0.0):.2f})"


def test_new_themes_get_fresh_ids_and_status(runs):
    model = runs["result2"].report
    max1 = int(runs["themes1"]["theme_id"].max())
    ids1 = set(runs["themes1"]["theme_id"])
    for t in model.themes:
        if t.status == "新規":
            assert t.theme_id > max1
        else:
            assert t.status == "" and t.theme_id in ids1
    assert sorted(model.changes["new"]) == sorted(t.theme_id for t in model.themes if t.status == "新規")
    current = {t.theme_id for t in model.themes}
    for v in model.changes["vanished"]:
        assert v["id"] not in current and v["id"] in ids1 and v["label"]
    assert set(model.changes) == {"new", "growing", "shrinking", "vanished"}
    tax = load_taxonomy(runs["tmp"] / "taxonomy.toml")
    for t in model.themes:
        if t.status == "新規":
            assert tax.get(t.theme_id).status == "新規" and tax.get(t.theme_id).keywords


def test_taxonomy_names_and_marketing_fields_follow_matched_themes(runs):
    model = runs["result2"].report
    matched = [t for t in model.themes if t.status == ""]
    assert matched
    for t in matched:
        assert t.label == f"{RENAMED}{t.theme_id}"
        assert t.marketing["messaging"] == f"{MESSAGE}{t.theme_id}"
    for t in model.themes:
        if t.status == "新規":
            assert not t.label.startswith(RENAMED) and t.marketing == {}


def test_taxonomy_merges_are_applied(runs):
    model = runs["result2"].report
    ids = {t.theme_id: t for t in model.themes}
    themes2 = runs["themes2"]
    matched_sources = 0
    for src, dst in runs["merges"]:
        assert src not in ids, f"theme {src} was merged into {dst} but is still reported"
        parts = themes2[themes2["reported_as"] == dst]
        matched_sources += src in set(parts["theme_id"])
        if len(parts):
            assert int(parts["size"].sum()) == ids[dst].size
            assert int((runs["assign2"]["theme_id"] == dst).sum()) == ids[dst].size
    assert matched_sources >= 1, "no merged theme was found again in run 2: the merge went untested"


def test_emerging_flags_the_planted_novacrm_theme_not_price(runs):
    model = runs["result2"].report
    data = pd.read_csv(ROOT / "corpus" / "sample_crm_export.csv", dtype=str).fillna("")
    truth = pd.read_csv(ROOT / "corpus" / "sample_crm_export.truth.csv", dtype=str).fillna("")
    docs = runs["assign2"].merge(pd.DataFrame({"row": range(len(data)), "competitor": data["competitor"],
                                               "truth": truth["lost_reason_theme"]}), on="row")
    docs = docs[docs.theme_id >= 0]
    nova = docs[docs.competitor == "NovaCRM"].groupby("theme_id").size().idxmax()
    flags = {t.theme_id: t.emerging for t in model.themes}
    assert flags[nova], f"theme {nova} holds most NovaCRM losses but is not flagged"
    price = docs.groupby("theme_id")["truth"].agg(lambda s: (s == "price").mean())
    price_themes = price[price >= 0.5].index.tolist()
    assert price_themes, "no price theme found"
    for t in price_themes:
        assert not flags[t], f"price theme {t} flagged as emerging"
    assert sum(flags.values()) <= 3


def test_report_model_insight_fields(runs):
    model = runs["result2"].report
    assert model.run_id == runs["result2"].run.run_id and model.previous_run_id == runs["run1"]["run_id"]
    assert model.months[0] == "2024-11" and model.months[-1] == "2026-10"
    t = max(model.themes, key=lambda t: t.size)
    assert [m for m, _, _ in t.trend] == model.months
    assert sum(c for _, c, _ in t.trend) <= t.size
    assert {"n_won", "n_lost", "win_rate_with", "win_rate_without", "effect", "q_value", "enough", "note"} <= set(t.winloss)
    assert t.winloss["n_won"] == 0  # lost reasons are only written for lost deals
    assert t.segments and {"column", "value", "n", "count", "lift", "q_value", "significant"} <= set(t.segments[0])
    assert any(s["significant"] for th in model.themes for s in th.segments)
    assert len(t.quote_records) == t.size or len(t.quote_records) == 1000
    q = t.quote_records[0]
    assert q.outcome == "失注" and q.date[:2] == "20" and set(q.segments) == {"industry", "company_size", "region", "owner"}
    assert any(th.competitors for th in model.themes)


def test_excel_workbook_is_written(runs):
    from openpyxl import load_workbook

    out = runs["result2"].out_dir
    wb = load_workbook(io.BytesIO((out / "themes.xlsx").read_bytes()), read_only=True)
    assert wb.sheetnames == ["テーマ", "サブテーマ", "割り当て", "月次推移", "勝敗", "セグメント", "競合", "変化"]
    rows = list(wb["テーマ"].iter_rows(values_only=True))
    assert len(rows) == 1 + len(runs["result2"].report.themes)
    subs = list(wb["サブテーマ"].iter_rows(values_only=True))
    assert len(subs) == 1 + sum(len(t.subthemes) for t in runs["result2"].report.themes)


def test_voc_history_lists_runs_and_themes(runs, tmp_path, monkeypatch):
    runner = CliRunner()
    res = runner.invoke(cli, ["history", "--config", str(runs["cfg"]), "--format", "json"])
    assert res.exit_code == 0, res.output
    listed = json.loads(res.output)
    assert [r["run_id"] for r in listed] == [runs["run1"]["run_id"], runs["result2"].run.run_id]
    assert listed[0]["until"] == "2026-08-31" and listed[1]["until"] == ""
    res = runner.invoke(cli, ["history", "--history", str(runs["history"]), "--run", "latest", "--format", "csv"])
    assert res.exit_code == 0 and RENAMED in res.output
    kept = next(t.theme_id for t in runs["result2"].report.themes if t.status == "")
    res = runner.invoke(cli, ["history", "--history", str(runs["history"]), "--theme", str(kept), "--format", "csv"])
    assert res.exit_code == 0
    assert len(pd.read_csv(io.StringIO(res.output))) == 2
    # plain table, default path relative to the current folder: an empty one (in the checkout,
    # `make report` leaves a reports/history.duckdb behind)
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(cli, ["history"])
    assert res.exit_code == 2 and "no run history" in res.output
    res = runner.invoke(cli, ["history", "--history", str(runs["history"]), "--run", "nope"])
    assert res.exit_code == 2 and "matches no run" in res.output


def test_history_help_has_an_example():
    res = CliRunner().invoke(cli, ["history", "--help"])
    assert res.exit_code == 0 and "Example:" in res.output and "voc history" in res.output


def test_history_shows_keywords_as_the_notes_spell_them(runs):
    """The history keeps the keyword tokens for matching (無し, 只) and, since schema 4, their
    spellings: ``voc history --run`` shows the spellings, each of which occurs in the notes (a
    synonym list's canonical form, 競合 for 他社, kept as it is), and at least one theme's
    spelling differs from its token."""
    from voc.clean import normalize_text
    from voc.tokenize import read_synonyms

    variants: dict[str, list[str]] = {}
    for variant, canonical in read_synonyms().items():
        variants.setdefault(canonical, []).append(variant)

    def in_notes(word: str) -> bool:
        forms = {word, *(word.replace(c, v) for c, vs in variants.items() if c in word for v in vs)}
        return any(f in notes or f[:-1] in notes for f in forms)

    notes = "\n".join(
        normalize_text(t) for t in pd.read_csv(ROOT / "corpus" / "sample_crm_export.csv", dtype=str, keep_default_na=False)["lost_reason"]
    )
    with RunStore(runs["history"], read_only=True) as store:
        themes = store.themes(runs["result2"].run.run_id)
    assert all(len(w) == len(k) for w, k in zip(themes["written_keywords"], themes["keywords"], strict=True))
    assert any(w != k for ws, ks in zip(themes["written_keywords"], themes["keywords"], strict=True) for w, k in zip(ws, ks, strict=True))
    res = CliRunner().invoke(cli, ["history", "--history", str(runs["history"]), "--run", "latest", "--format", "csv"])
    assert res.exit_code == 0, res.output
    shown = [w for kw in pd.read_csv(io.StringIO(res.output))["keywords"] for w in kw.split("、")]
    assert shown and [w for w in shown if not in_notes(w)] == []


def test_subthemes_keep_their_ids_across_runs(runs):
    """Sub-theme ids, judged as theme ids are above (by the deals both runs analysed, not by voc's
    matching), outside the themes the marketer merged between the runs: a run-2 sub-theme made mostly
    of one run-1 sub-theme's deals carries its id (recall; also when those deals now fall in another
    theme), an id that was kept names largely the same deals (precision), and a new sub-theme id is
    above every id of run 1."""
    merged = {t for pair in runs["merges"] for t in pair}
    a1 = runs["assign1"].dropna(subset=["subtheme_id"])
    a2 = runs["assign2"].dropna(subset=["subtheme_id"])
    a1, a2 = a1[~a1["theme_id"].isin(merged)], a2[~a2["theme_id"].isin(merged)]
    both = set(a1["row"]) & set(a2["row"])
    first = {int(s): set(g["row"]) & both for s, g in a1[a1["subtheme_id"] >= 0].groupby("subtheme_id")}
    second = {int(s): set(g["row"]) & both for s, g in a2[a2["subtheme_id"] >= 0].groupby("subtheme_id")}
    assert first and second, "the sample corpus's themes should hold sub-themes"

    def jaccard(a: set, b: set) -> float:
        return len(a & b) / max(1, len(a | b))

    clear = 0
    for sid2, docs2 in second.items():
        sid1, j = max(((s, jaccard(d, docs2)) for s, d in first.items()), key=lambda p: p[1])
        if j >= 0.5:
            clear += 1
            assert sid2 == sid1, f"run-2 sub-theme {sid2} is run-1 sub-theme {sid1} (J={j:.2f})"
    assert clear, "no run-2 sub-theme is clearly a run-1 sub-theme"
    for sid in set(first) & set(second):
        j = jaccard(first[sid], second[sid])
        assert j >= 0.25, f"sub-theme {sid} kept its id but shares few deals (J={j:.2f})"
    with RunStore(runs["history"], read_only=True) as store:
        sub1 = store.subthemes(runs["run1"]["run_id"])
        ids1 = set(sub1["subtheme_id"]) | set(runs["themes1"]["theme_id"])
    for sid in set(second) - set(sub1["subtheme_id"]):  # new this run
        assert sid > max(ids1)


def test_a_subtheme_is_reported_where_its_deals_are_unless_moved_by_hand(runs):
    """Deals of a run-1 sub-theme that run 2 finds in another theme stay in the theme run 2 put them
    in: the taxonomy's theme of a sub-theme moves deals only when a person changed it."""
    model = runs["result2"].report
    assert all(t.keywords for t in model.themes), [t.theme_id for t in model.themes if not t.keywords]
    asg = runs["assign2"]
    fitted = runs["themes2"].set_index("theme_id")["reported_as"]
    assert set(asg.loc[asg["theme_id"] >= 0, "theme_id"]) <= set(fitted)  # no theme made of moved deals only
