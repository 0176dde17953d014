"""The analyst's round trip: the notebook editor's edits, saved to the taxonomy, survive the next
``run_report`` on the same export; a run without history leaves the taxonomy alone; the rows of a
report carry each deal's outcome as voc read it."""

from __future__ import annotations

from pathlib import Path

import pytest

from ._runs import make_project

# one theme per lost reason (by rows: the statement round trip sets units.unit itself), and a
# lost-reason-only export compared by statements has no win rate at all (the column is one outcome)
FAST = {"model.n_themes": 6, "model.seed": 42, "model.subthemes": False, "units.unit": "row"}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 400-deal export (corpus/generate.py) and its config; returns the config path."""
    return make_project(tmp_path_factory.mktemp("roundtrip"), n_deals=400)


def _config(config_path: Path, folder: Path, *, taxonomy: bool = True, **overrides):
    from voc.config import load_config

    values = {**FAST, "output.dir": str(folder / "reports" / "latest"), "history.path": str(folder / "h.duckdb"),
              **overrides}
    if taxonomy:
        values["taxonomy.path"] = str(folder / "taxonomy.toml")
    return load_config(config_path).override(values)


def test_a_run_without_history_leaves_the_taxonomy_alone(project, tmp_path):
    """Ids of a run that records no history are known to no later run: the taxonomy is read, not
    written (not created when missing, byte for byte the same when present)."""
    from voc.pipeline import run_report
    from voc.taxonomy import Taxonomy, load_taxonomy, save_taxonomy

    config = _config(project, tmp_path, **{"history.enabled": False})
    run_report(config)
    assert not (tmp_path / "taxonomy.toml").exists()
    tax = Taxonomy()
    tax.rename(1, "価格が合わない")
    save_taxonomy(tax, tmp_path / "taxonomy.toml")
    before = (tmp_path / "taxonomy.toml").read_bytes()
    result = run_report(config)
    assert (tmp_path / "taxonomy.toml").read_bytes() == before
    assert load_taxonomy(tmp_path / "taxonomy.toml").ids() == [1]
    assert len(result.themes) >= 2


def test_rows_carry_the_outcome_as_read_and_the_notebook_win_loss_is_the_report_s(project, tmp_path):
    """A Zoho-style export (Closed Won, an org's own word for lost): ``rows_with_themes()`` says how
    voc read each deal's outcome (``outcome_as_read``: won / lost / open, the configured words
    included), and ``voc.insights.win_loss`` on it gives the report's win/loss numbers."""
    import pandas as pd

    import voc.insights as ins
    from voc.pipeline import run_report

    frame = pd.read_csv(project.parent / "export.csv", dtype=str, keep_default_na=False)
    frame["outcome"] = frame["outcome"].replace({"受注": "Closed Won", "失注": "商談ロスト", "進行中": "Negotiation"})
    frame.to_csv(tmp_path / "zoho.csv", index=False)
    config = _config(project, tmp_path, **{"input.path": str(tmp_path / "zoho.csv"), "input.outcome_column": "outcome",
                                           "input.lost_values": ["商談ロスト"], "insights.min_count": 5})
    result = run_report(config)
    deals = result.rows_with_themes()
    assert len(deals) == len(frame)
    expected = frame["outcome"].map({"Closed Won": "won", "商談ロスト": "lost", "Negotiation": "open"})
    assert deals["outcome_as_read"].tolist() == expected.tolist()
    assert deals["outcome"].tolist() == frame["outcome"].tolist()  # the export's own column is kept as written
    wl = ins.win_loss(deals, "outcome_as_read", min_count=5).set_index("theme_id")
    report = {r.theme_id: r.winloss for r in result.report.themes}
    assert wl["n_lost"].sum() > 0
    for theme_id, winloss in report.items():
        assert (wl.loc[theme_id, "n_won"], wl.loc[theme_id, "n_lost"]) == (winloss["n_won"], winloss["n_lost"])
    # the same numbers from the export's own column and the configured words
    cin = config.input
    own = ins.win_loss(deals, cin.outcome_column, won_values=cin.won_values, lost_values=cin.lost_values,
                       open_values=cin.open_values, min_count=5).set_index("theme_id")
    pd.testing.assert_frame_equal(own, wl)


def test_a_rename_in_the_editor_survives_the_next_run(project, tmp_path):
    """Scheduled runs kept a history before the taxonomy file existed; the analyst renames a theme
    in the notebook editor made from the same config (its ids are the ones ``voc report`` gives:
    the history's), saves, and the next run reports that theme, the same deals, under the same
    id with the new name (a fresh taxonomy once gave the editor the model's cluster numbers, and
    the name landed on the history's theme of that number)."""
    import voc
    from voc.clean import clean
    from voc.pipeline import run_report, theme_model

    config = _config(project, tmp_path)
    first = run_report(_config(project, tmp_path, taxonomy=False))  # a run from before the taxonomy
    assert not (tmp_path / "taxonomy.toml").exists()
    export = voc.read_export(config.input.path, text_columns=config.input.text_columns)
    kept, _ = clean(export.frame, config.input.text_columns, mask=config.clean.mask_pii)
    texts = kept["text"].tolist()
    editor = voc.ThemeEditor.from_config(theme_model(config).fit(texts), texts, config)
    assert sorted(editor.keywords) == sorted(first.themes["theme_id"])
    table = editor.table(n_quotes=0)
    theme = int(table["theme_id"].iloc[2])  # not the first: ids 0 and 1 would be the model's and the history's
    rows = set(kept["row"].to_numpy()[editor.labels == theme])
    editor.rename(theme, "改名したテーマ").save()
    again = run_report(config)
    assert again.themes.set_index("theme_id").loc[theme, "label"] == "改名したテーマ"
    asg = again.assignments
    assert set(asg.loc[asg["theme_id"] == theme, "row"]) == rows
    assert (asg["theme_label"] == "改名したテーマ").sum() == len(rows)


def test_a_rename_on_statements_survives_the_next_statement_run(project, tmp_path):
    """The same round trip by statements: the editor is fitted on the voice statements the report
    fits (``voc.pipeline.report_units``) and matched against the history's statement runs only; a
    row run recorded after the statement run (same history, same columns) does not give it its ids."""
    import pandas as pd

    import voc
    from voc.pipeline import report_units, run_report, theme_model

    cols = {"input.text_columns": ["call_note", "lost_reason"]}
    config = _config(project, tmp_path, **cols, **{"units.unit": "statement"})
    first = run_report(_config(project, tmp_path, taxonomy=False, **cols, **{"units.unit": "statement"}))
    run_report(_config(project, tmp_path, taxonomy=False, **cols, **{"model.n_themes": 5}))  # by rows, later
    kept, units = report_units(config)
    voice = units[units["kind"] == "voice"].reset_index(drop=True)
    texts = voice["text"].tolist()
    model = theme_model(config).fit(texts, tokens=[list(t) for t in voice["tokens"]])
    editor = voc.ThemeEditor.from_config(model, texts, config)
    assert sorted(editor.keywords) == sorted(first.themes["theme_id"])
    theme = int(editor.table(n_quotes=0)["theme_id"].iloc[2])
    said = set(zip(voice["row"].to_numpy()[editor.labels == theme], voice["start"].to_numpy()[editor.labels == theme],
                   strict=True))
    editor.rename(theme, "改名した文のテーマ").save()
    again = run_report(config)
    assert again.themes.set_index("theme_id").loc[theme, "label"] == "改名した文のテーマ"
    mentions = pd.read_csv(Path(again.out_dir) / "mentions.csv", keep_default_na=False)
    got = mentions[mentions["theme_id"] == theme]
    assert set(zip(got["row"], got["start"], strict=True)) == said
    assert (got["theme_label"] == "改名した文のテーマ").all()
