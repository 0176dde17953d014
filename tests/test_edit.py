"""voc.edit: inspecting and editing fitted themes, saved to (and re-applied from) the taxonomy file."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from voc.edit import ThemeCard, ThemeEditor, class_keywords, model_html
from voc.errors import ConfigError, NotFittedError
from voc.taxonomy import load_taxonomy

from .conftest import SAMPLE_CSV


@pytest.fixture(scope="module")
def fitted():
    """A small real model: 400 lost reasons of the sample corpus, 5 themes, LSA embeddings."""
    from voc.clean import clean
    from voc.read import read_export
    from voc.themes import ThemeModel

    export = read_export(SAMPLE_CSV, text_columns=["lost_reason"])
    kept, _ = clean(export.frame, ["lost_reason"])
    texts = kept["text"].tolist()[:400]
    model = ThemeModel(n_themes=5, embedding="lsa", random_state=0)
    tokens = model.tokenize(texts)
    model.fit(texts, tokens=tokens)
    return model, texts, tokens


@pytest.fixture()
def editor(fitted, tmp_path):
    model, texts, tokens = fitted
    return ThemeEditor(model, texts, taxonomy=tmp_path / "taxonomy.toml", tokens=tokens, random_state=0)


def test_class_keywords_prefers_words_typical_of_a_class():
    tokens = [
        ["価格", "高い", "営業"],
        ["価格", "予算", "営業"],
        ["価格", "営業"],
        ["サポート", "手厚い", "営業"],
        ["営業"],
    ]
    kw = class_keywords(tokens, [0, 0, 0, 1, -1], top_n=3)
    # √(tf/n)·log(1 + A/f): 予算, 高い 0.662 > 価格 0.637 > 営業 (in every class) 0.530; ties by word
    assert kw == {0: ["予算", "高い", "価格"], 1: ["サポート", "手厚い", "営業"]}


def test_table_accounts_for_every_assigned_text(editor, fitted):
    model = fitted[0]
    table = editor.table()
    assert list(table.columns) == ["theme_id", "label", "size", "share", "keywords", "quotes", "note"]
    assert table["size"].sum() == int((model.labels_ >= 0).sum())
    assert table["size"].is_monotonic_decreasing
    html = editor._repr_html_()
    assert "voc-kw" in html and table["label"].iloc[0] in html
    assert "ThemeEditor:" in repr(editor)


def test_the_editor_the_model_and_the_report_share_one_table(editor, fitted):
    """One table builder (voc.label.theme_table): before any edit the editor's table is the
    model's theme_info, written spellings and quotes included."""
    import pandas as pd

    model = fitted[0]
    ours = editor.table(n_quotes=5).drop(columns="note")
    pd.testing.assert_frame_equal(ours, model.theme_info())
    info = model.theme_info()
    assert all(isinstance(k, list) and isinstance(q, list) and q for k, q in zip(info["keywords"], info["quotes"], strict=True))
    assert (info["size"].sum(), info["share"].sum()) == (int((model.labels_ >= 0).sum()), pytest.approx(
        (model.labels_ >= 0).mean()))
    assert info["label"].tolist() == [editor.label(t) for t in info["theme_id"]]


def test_document_info_places_each_text(fitted):
    model, texts = fitted[0], fitted[1]
    docs = model.document_info()
    assert list(docs.columns) == ["text", "theme_id", "label", "distance"]
    assert docs["theme_id"].tolist() == model.labels_.tolist() and docs["text"].tolist() == list(texts)
    assigned = docs[docs["theme_id"] >= 0]
    assert ((assigned["distance"] >= -1e-9) & (assigned["distance"] <= 2)).all()
    new = model.document_info(texts[:5])
    assert new["theme_id"].tolist() == model.transform(texts[:5]).tolist()


def test_model_html_fitted_and_not_fitted(fitted):
    from voc.themes import ThemeModel

    model = fitted[0]
    html = model._repr_html_()
    assert f"{model.n_themes_} themes" in html and "<table" in html
    assert model._repr_mimebundle_()["text/html"] == html
    assert "not fitted" in model_html(ThemeModel(n_themes=3))


def test_show_gives_keywords_quotes_and_kwic(editor):
    theme = int(editor.table()["theme_id"].iloc[0])
    card = editor.show(theme, n_quotes=3, n_terms=2, kwic_rows=4)
    assert isinstance(card, ThemeCard)
    members = {editor.texts[i] for i in editor.members(theme)}
    assert 1 <= len(card.quotes) <= 3 and set(card.quotes) <= members
    assert len(card.kwic) == 2
    hits = [t for t in card.kwic.values() if len(t)]
    assert hits, "a theme's top keywords should occur in its texts"
    for table in hits:
        assert len(table) <= 4 and (table["match"].str.len() > 0).all()
    html = card._repr_html_()
    assert "KWIC" in html and card.keywords[0] in html


def test_rename_seed_and_save_round_trip(editor, tmp_path):
    theme = int(editor.table()["theme_id"].iloc[0])
    editor.rename(theme, "価格・費用が合わない").seed(theme, ["価格", "高い", "予算"])
    assert editor.label(theme) == "価格・費用が合わない"
    assert editor.table().set_index("theme_id").loc[theme, "note"] == "シード語: 価格、高い、予算"
    path = editor.save()
    tax = load_taxonomy(path)
    entry = tax.get(theme)
    assert entry.name == "価格・費用が合わない" and entry.seed_words == ["価格", "高い", "予算"]
    assert sorted(tax.ids()) == sorted(editor.keywords)
    assert all(tax.get(t).keywords for t in editor.keywords)
    with pytest.raises(ConfigError, match="no theme 999"):
        editor.rename(999, "x")


def test_merge_moves_texts_and_is_recorded(editor):
    table = editor.table()
    a, b = int(table["theme_id"].iloc[0]), int(table["theme_id"].iloc[1])
    size_a, size_b = int(table["size"].iloc[0]), int(table["size"].iloc[1])
    editor.merge(b, into=a)
    assert b not in editor.keywords and not (editor.labels == b).any()
    assert int((editor.labels == a).sum()) == size_a + size_b
    assert editor.keywords[a]
    assert editor.taxonomy.get(b).merge_into == a
    with pytest.raises(ConfigError, match="into itself"):
        editor.merge(a, into=a)


def test_split_refits_one_theme_into_sub_themes(editor):
    before = editor.labels.copy()
    table = editor.table()
    theme, size = int(table["theme_id"].iloc[0]), int(table["size"].iloc[0])
    ids = editor.split(theme, n=3)
    assert ids[0] == theme and len(ids) == 3
    assert min(ids[1:]) > max(before)
    sizes = [int((editor.labels == t).sum()) for t in ids]
    assert sum(sizes) == size and all(s > 0 for s in sizes) and sizes[0] == max(sizes)
    untouched = before != theme
    assert (editor.labels[untouched] == before[untouched]).all()
    for t in ids:
        assert editor.taxonomy.get(t).seed_words == editor.keywords[t][:5]
    assert editor.taxonomy.get(ids[1]).status == "新規"
    with pytest.raises(ValueError, match="split needs"):
        editor.split(theme, n=1)


def test_split_is_deterministic(fitted, tmp_path):
    model, texts, tokens = fitted
    runs = []
    for name in ("a.toml", "b.toml"):
        ed = ThemeEditor(model, texts, taxonomy=tmp_path / name, tokens=tokens, random_state=0)
        ed.split(int(ed.table()["theme_id"].iloc[0]), n=2)
        runs.append(ed.labels.copy())
    assert (runs[0] == runs[1]).all()


def test_a_saved_taxonomy_is_re_applied_by_a_new_editor(editor, fitted, tmp_path):
    model, texts, tokens = fitted
    table = editor.table()
    a, b = int(table["theme_id"].iloc[0]), int(table["theme_id"].iloc[1])
    editor.rename(a, "価格").merge(b, into=a)
    path = editor.save()
    again = ThemeEditor(model, texts, taxonomy=path, tokens=tokens)
    assert again.label(a) == "価格"
    assert (again.labels == editor.labels).all()
    assert b not in again.keywords
    # saving again keeps each entry recognisable: the target keeps its own keywords, not the merged ones
    again.save()
    third = ThemeEditor(model, texts, taxonomy=path, tokens=tokens)
    assert (third.labels == editor.labels).all() and third.label(a) == "価格"


def test_find_and_similar_pairs(editor):
    theme = int(editor.table()["theme_id"].iloc[0])
    word = editor.keywords[theme][0]
    assert editor.find(word)[0] == theme
    assert editor.find("存在しない語") == []
    pairs = editor.similar_pairs(top=3)
    assert list(pairs.columns) == ["theme_a", "name_a", "theme_b", "name_b", "similarity"]
    assert len(pairs) == 3 and pairs["similarity"].is_monotonic_decreasing
    assert (pairs["similarity"] <= 1 + 1e-9).all()


def test_editor_needs_a_fitted_model_and_matching_texts(fitted):
    from voc.themes import ThemeModel

    model, texts, _ = fitted
    with pytest.raises(NotFittedError):
        ThemeEditor(ThemeModel(), texts)
    with pytest.raises(ValueError, match="399 texts for a model fitted on 400"):
        ThemeEditor(model, texts[:-1])


def test_editing_does_not_touch_the_model(fitted, tmp_path):
    model, texts, tokens = fitted
    labels, keywords = model.labels_.copy(), copy.deepcopy(model.keywords_)
    ed = ThemeEditor(model, texts, taxonomy=tmp_path / "t.toml", tokens=tokens)
    first = int(ed.table()["theme_id"].iloc[0])
    ed.split(first, n=2)
    assert np.array_equal(model.labels_, labels) and model.keywords_ == keywords


def test_editor_shows_keywords_as_the_notes_spell_them(editor):
    """Keywords are tokens (UniDic lemmas: 無し, 有り, 纏まる); the editor shows and finds them as
    the notes spell them, and a theme whose tokens and spellings differ shows the spelling."""
    differs = {
        t: [(k, w) for k, w in zip(editor.keywords[t], editor.written(t), strict=True) if k != w]
        for t in editor.keywords
    }
    pairs = [p for ps in differs.values() for p in ps]
    assert pairs, "expected at least one keyword spelled otherwise in the notes (無し → なし, 有り → あり …)"
    text = "\n".join(editor.texts)
    for token, written in pairs:
        assert written in text or written[:-1] in text, (token, written)
    t, (token, written) = next((t, ps[0]) for t, ps in differs.items() if ps)
    assert t in editor.find(written) and t in editor.find(token)
    assert written in editor.show(t).keywords or any(k in written for k in editor.show(t).keywords)


def test_class_keywords_name_compounds_whole():
    """The editor's keywords (after a merge or split) fold a part into the compound it only occurs
    in, as ThemeModel's do: ナビ and サクセス become サクセスナビ; 価格, which stands alone, stays."""
    tokens = [["サクセス", "ナビ", "サクセスナビ", "価格"]] * 3 + [["価格", "高い"]] * 2 + [["連携", "API"]] * 4
    labels = [0] * 5 + [1] * 4
    kw = class_keywords(tokens, labels, top_n=5)[0]
    assert "サクセスナビ" in kw and "価格" in kw
    assert "ナビ" not in kw and "サクセス" not in kw


def test_subthemes_in_the_editor_rename_merge_move_promote_and_save(editor, tmp_path):
    """editor.subthemes finds the sub-themes as voc report does, records them in the taxonomy, and
    its edits show in its table at once and in the saved file for the next run."""
    from voc.taxonomy import load_taxonomy

    table = editor.subthemes.table()
    assert list(table.columns) == ["theme_id", "subtheme_id", "label", "size", "share", "keywords", "promoted"]
    if len(table) < 2 or table["theme_id"].value_counts().max() < 2:
        pytest.skip("the 400-text fixture split no theme in two: nothing to merge")  # pragma: no cover
    theme = int(table["theme_id"].value_counts().index[0])
    a, b = table[table["theme_id"] == theme]["subtheme_id"].tolist()[:2]
    assert set(table["subtheme_id"]).isdisjoint(editor.keywords)  # one id space
    assert (editor.subthemes.assignments() >= 0).sum() == table["size"].sum()
    editor.subthemes.rename(a, "初期費用が高い").merge(b, into=a)
    after = editor.subthemes.table().set_index("subtheme_id")
    assert after.loc[a, "label"] == "初期費用が高い" and b not in after.index
    assert after.loc[a, "size"] == int(table.set_index("subtheme_id").loc[[a, b], "size"].sum())
    other = next(t for t in editor.keywords if t != theme)
    editor.subthemes.move(a, other)
    assert editor.subthemes.table().set_index("subtheme_id").loc[a, "theme_id"] == other
    editor.subthemes.promote(a)
    promoted = editor.subthemes.table().set_index("subtheme_id").loc[a]
    assert promoted["promoted"] and promoted["theme_id"] == a
    path = editor.save(tmp_path / "taxonomy.toml")
    saved = load_taxonomy(path)
    assert saved.subtheme(a).promote and saved.subtheme(b).merge_into == a and saved.get(a).name == "初期費用が高い"
    with pytest.raises(ConfigError, match="no theme 999"):
        editor.subthemes.move(a, 999)


def test_a_merged_theme_keeps_the_target_label(editor):
    """merge(source, into=target): the texts move, the keywords are recomputed over both, and the
    theme keeps the target's label (folding the largest theme into the smallest one would
    otherwise name it after the largest)."""
    table = editor.table(n_quotes=0)
    source, target = int(table["theme_id"].iloc[0]), int(table["theme_id"].iloc[-1])
    label = editor.label(target)
    assert label != editor.label(source)
    editor.merge(source, into=target)
    assert editor.label(target) == label
    assert editor.table(n_quotes=0).set_index("theme_id").loc[target, "label"] == label
    assert editor.keywords[target] != editor._own_keywords[target]  # recomputed over both themes


def test_rename_found_edits_the_theme_holding_the_word_or_nothing(editor):
    """The notebook's "find a theme by a word, rename and seed it": nothing changes (and a warning
    says so) when no theme holds the word, never the largest theme instead."""
    before = (editor.labels.copy(), copy.deepcopy(editor.taxonomy))
    with pytest.warns(UserWarning, match="存在しない語"):
        assert editor.rename_found("存在しない語", "新しい名前", seed_words=["存在しない語"]) is None
    assert (editor.labels == before[0]).all() and editor.taxonomy == before[1]
    theme = int(editor.table()["theme_id"].iloc[1])
    word = editor.written(theme)[0]
    card = editor.rename_found(word, "新しい名前", seed_words=[word])
    assert isinstance(card, ThemeCard) and card.theme_id == editor.find(word)[0] and card.name == "新しい名前"
    assert editor.taxonomy.get(card.theme_id).seed_words == [word]
