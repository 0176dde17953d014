"""voc.analysis.ThemeAnalysis: the one sequence themes → ids → names → sub-themes, as the report runs it."""

from __future__ import annotations

import pandas as pd
import pytest

from voc.analysis import ThemeAnalysis, ThemeNode, node_table


def test_theme_info_names_what_the_report_names(sample_report):
    analysis = sample_report.analysis
    themes = pd.read_csv(sample_report.out_dir / "themes.csv")
    info = analysis.theme_info(level=0).sort_values("theme_id").reset_index(drop=True)
    themes = themes.sort_values("theme_id").reset_index(drop=True)
    assert info["theme_id"].tolist() == themes["theme_id"].tolist()
    assert info["label"].tolist() == themes["label"].tolist()
    # the analysis counts its units (statements: themes.csv's mentions; the report's size counts deals)
    assert info["size"].tolist() == themes["mentions"].tolist()
    assert (themes["deals"] <= themes["mentions"]).all() and (themes["size"] == themes["deals"]).all()
    assert (info["parent_id"] == -1).all() and (info["level"] == 0).all()
    subs = pd.read_csv(sample_report.out_dir / "subthemes.csv")
    nodes = analysis.theme_info(level=1)
    assert len(subs) > 0
    got = nodes.set_index("theme_id")[["parent_id", "label", "size"]].sort_index()
    want = subs.set_index("subtheme_id")[["theme_id", "label", "size", "mentions"]].sort_index()
    assert got["parent_id"].tolist() == want["theme_id"].tolist()
    assert got["label"].tolist() == want["label"].tolist()
    # sub-themes too: the analysis counts statements (mentions), the report's size counts deals
    assert got["size"].tolist() == want["mentions"].tolist()
    assert (want["size"] <= want["mentions"]).all()


def test_document_info_and_predict_follow_the_reported_ids(sample_report):
    analysis = sample_report.analysis
    docs = analysis.document_info()  # one line per analysed unit: the customer's statements
    said = pd.read_csv(sample_report.out_dir / "mentions.csv", dtype={"deal_id": str}).query("kind == 'voice'")
    assert docs["theme_id"].tolist() == said["theme_id"].tolist()
    assert docs["subtheme_id"].tolist() == said["subtheme_id"].tolist()
    assert docs["text"].tolist() == said["text"].tolist()
    texts = docs["text"].tolist()[:40]
    predicted = analysis.predict(texts)
    # the assigned themes of fitted texts, in the reported ids (no taxonomy merges in the sample)
    assert (predicted == docs["theme_id"].to_numpy()[:40]).mean() > 0.8
    assert set(predicted.tolist()) <= set(docs["theme_id"].tolist())


def test_parameters_are_not_fitted_in_place():
    from sklearn.base import clone

    from voc.themes import ThemeModel

    model = ThemeModel(n_themes=3)
    analysis = ThemeAnalysis(model, naming="keywords", subthemes=False)
    assert clone(analysis).get_params()["naming"] == "keywords"
    assert not hasattr(model, "labels_")


def test_node_table_puts_each_subtheme_under_its_theme():
    nodes = [ThemeNode(1, None, 0, "a", size=10), ThemeNode(2, None, 0, "b", size=20),
             ThemeNode(7, 1, 1, "a1", size=4), ThemeNode(8, 1, 1, "a2", size=6)]
    table = node_table(nodes)
    assert table["theme_id"].tolist() == [2, 1, 8, 7]
    assert table["parent_id"].tolist() == [-1, -1, 1, 1]
    assert node_table(nodes, level=1)["theme_id"].tolist() == [8, 7]


def test_not_fitted():
    from voc.errors import NotFittedError

    with pytest.raises(NotFittedError):
        ThemeAnalysis().theme_info()


@pytest.fixture(scope="module")
def texts() -> list[str]:
    from voc.clean import normalize_text

    from .conftest import SAMPLE_CSV

    df = pd.read_csv(SAMPLE_CSV, dtype=str, keep_default_na=False)
    return [normalize_text(t) for t in df["lost_reason"] if len(t.strip()) > 6][:400]


def test_standalone_fit_without_ids_keeps_the_fitted_themes(texts):
    """voc evaluate's way: match=False, the fitted theme numbers; the sub-themes' local numbers."""
    from voc.themes import ThemeModel

    analysis = ThemeAnalysis(ThemeModel(n_themes=4, random_state=3), match=False, random_state=3, n_jobs=1)
    analysis.fit(texts)
    alone = ThemeModel(n_themes=4, random_state=3).fit(texts)
    assert (analysis.labels_ == alone.labels_).all()
    assert analysis.stable_ is None and analysis.subthemes_.ids is None
    assert (analysis.subtheme_labels_ == analysis.subthemes_.found.assignments).all()
    info = analysis.theme_info()
    assert set(info["level"]) == {0}  # no ids, no sub-theme nodes
    assert info["label"].str.len().min() > 0


def test_standalone_fit_with_ids_gives_one_node_table(texts):
    import voc
    from voc.themes import ThemeModel

    assert voc.ThemeAnalysis is ThemeAnalysis
    analysis = ThemeAnalysis(ThemeModel(n_themes=4, random_state=3), random_state=3, n_jobs=1).fit(texts)
    info = analysis.theme_info()
    themes, subs = info[info["level"] == 0], info[info["level"] == 1]
    assert themes["size"].sum() == (analysis.labels_ >= 0).sum()
    assert len(subs) > 0, "the 400 sample reasons in 4 themes hold sub-themes"
    assert set(subs["parent_id"]) <= set(themes["theme_id"])
    for parent, part in subs.groupby("parent_id"):
        assert part["size"].sum() == (analysis.labels_ == parent).sum()  # sub-themes cover a split theme
    docs = analysis.document_info()
    assert len(docs) == len(texts) and (docs["theme_id"] == analysis.labels_).all()
