"""voc.taxonomy: the human-editable theme file (round trip, edits, errors) and seeded themes."""

from __future__ import annotations

import tomllib

import numpy as np
import pytest

from voc.errors import ConfigError
from voc.taxonomy import (
    STATUS_NEW,
    Taxonomy,
    ThemeEntry,
    dumps_taxonomy,
    load_taxonomy,
    save_taxonomy,
)


def test_round_trip_keeps_every_field_including_awkward_text(tmp_path):
    tax = Taxonomy()
    tax.ensure(3, name="価格が「高い」", keywords=["価格", "高い"], status=STATUS_NEW)
    e = tax.rename(3, '割高 "感" \\ ＝')
    e.messaging = "初期費用ゼロ\n月額で小さく始める"
    e.product_idea = "=HYPERLINK(\"x\")"  # stays plain text
    e.owner, e.notes = "佐藤", "タブ\tあり"
    tax.set_seed_words(3, ["価格", " 割高 ", ""])
    tax.merge(7, 3)
    path = save_taxonomy(tax, tmp_path / "sub" / "taxonomy.toml")
    back = load_taxonomy(path)
    assert back.themes == tax.themes
    assert back.get(3).seed_words == ["価格", "割高"]
    assert back.path == path
    assert tomllib.loads(path.read_text(encoding="utf-8"))["version"] == 1


def test_japanese_keys_are_accepted(tmp_path):
    path = tmp_path / "t.toml"
    path.write_text(
        '[[theme]]\nid = 1\n"名前" = "競合 NovaCRM"\n"訴求メッセージ案" = "移行支援を無償で"\n'
        '"製品アイデア" = "乗り換えパック"\n"担当" = "山田"\n"ステータス" = "対応中"\n"シード語" = ["NovaCRM", "無料"]\n'
        '[[theme]]\nid = 2\n"統合先" = 1\n',
        encoding="utf-8",
    )
    tax = load_taxonomy(path)
    assert tax.name_of(1, "auto") == "競合 NovaCRM"
    assert tax.name_of(2, "auto") == "競合 NovaCRM"  # merged into 1
    assert tax.name_of(9, "auto") == "auto"
    assert tax.marketing(1) == {"messaging": "移行支援を無償で", "product_idea": "乗り換えパック", "owner": "山田", "status": "対応中"}
    assert tax.seed_topic_list() == [["NovaCRM", "無料"]]
    assert tax.merge_map() == {2: 1}


def test_merge_chains_resolve_and_cycles_are_refused(tmp_path):
    tax = Taxonomy()
    tax.merge(5, 4)
    tax.merge(4, 1)
    assert tax.resolve(5) == 1 and tax.merge_map() == {4: 1, 5: 1}
    with pytest.raises(ConfigError, match="cycle"):
        tax.merge(1, 5)
    with pytest.raises(ConfigError, match="itself"):
        tax.merge(2, 2)
    path = tmp_path / "cycle.toml"
    path.write_text("[[theme]]\nid = 1\nmerge_into = 2\n[[theme]]\nid = 2\nmerge_into = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"cycle\.toml.*cycle: 1 → 2 → 1"):
        load_taxonomy(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[theme]]\nid = 1\n[[theme]]\nid = 1\n", "theme id 1 appears twice"),
        ("[[theme]]\nname = 'x'\n", "has no id"),
        ("[[theme]]\nid = 1\ncolour = 'red'\n", "unknown key 'colour'"),
        ("[[theme]]\nid = '1'\n", "id must be an integer"),
        ("[[theme]]\nid = 1\nseed_words = [1, 2]\n", "seed_words must be a list of strings"),
        ("[[theme]]\nid = 1\nowner = 3\n", "owner must be a string"),
        ("themes = []\n", "unknown top-level key"),
        ("[[theme]\nid = 1\n", "not valid TOML"),
    ],
)
def test_bad_files_give_errors_naming_the_file(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as info:
        load_taxonomy(path)
    assert "bad.toml" in str(info.value)


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_taxonomy(tmp_path / "none.toml")
    empty = load_taxonomy(tmp_path / "none.toml", missing_ok=True)
    assert empty.themes == [] and empty.path == tmp_path / "none.toml"


def test_not_utf8(tmp_path):
    path = tmp_path / "sjis.toml"
    path.write_bytes('[[theme]]\nid = 1\nname = "価格"\n'.encode("cp932"))
    with pytest.raises(ConfigError, match="UTF-8"):
        load_taxonomy(path)


def test_rename_to_empty_is_refused():
    with pytest.raises(ConfigError, match="empty"):
        Taxonomy().rename(1, "  ")


def test_dumps_is_readable_and_commented():
    text = dumps_taxonomy(Taxonomy(themes=[ThemeEntry(id=2, name="連携")]))
    assert "訴求メッセージ案" in text and "製品アイデア" in text
    assert tomllib.loads(text)["theme"][0]["name"] == "連携"


def test_guide_embeddings_pulls_nearest_documents_towards_their_seed():
    from voc.themes import guide_embeddings

    emb = np.array([[1.0, 0.1, 0], [0.9, 0.0, 0.1], [0.0, 1.0, 0.0], [0.0, 0.1, 1.0]])
    seeds = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    out, nearest = guide_embeddings(emb, seeds)
    assert nearest.tolist()[:2] == [0, 0] and nearest[3] == 1
    assert np.allclose(out[0], (3 * emb[0] + seeds[0]) / 4)
    assert np.allclose(out[3], (3 * emb[3] + seeds[1]) / 4)
    untouched = nearest == -1
    assert np.allclose(out[untouched], emb[untouched])
    assert not np.shares_memory(out, emb)


def test_theme_model_uses_seed_words_as_guided_topics():
    """Seed words reach BERTopic's c-TF-IDF (seed_words) and pull matching notes into one theme."""
    from sklearn.base import clone

    from voc.themes import ThemeModel

    security = ["SSO必須だがSAML対応がない", "IP制限ができずセキュリティ審査NG", "ISMSの監査ログ要件を満たせない",
                "オンプレ希望でクラウド不可", "SAML連携とIP制限が必須条件", "セキュリティチェックシートで不合格"]
    price = ["価格が高い", "ライセンス費用が予算を超える", "他社より割高", "初期費用が高すぎる", "月額が高い", "値引きが足りない"]
    timing = ["今期は見送り", "来期に再検討", "時期尚早との判断", "半年後に再提案", "繁忙期のため延期", "来年度に検討"]
    texts = security + price + timing
    seeds = [["SSO", "SAML", "IP制限"]]
    model = ThemeModel(n_themes=3, random_state=0, seed_words=seeds)
    assert clone(model).get_params()["seed_words"] == seeds
    model.fit(texts)
    assert model.topic_model_.ctfidf_model.seed_words  # tokenized seed words handed to c-TF-IDF
    assert set(model.topic_model_.ctfidf_model.seed_words) & {"SSO", "SAML", "IP", "制限"}
    sso_docs = [i for i, t in enumerate(texts) if "SSO" in t or "SAML" in t or "IP制限" in t]
    assert len({int(model.labels_[i]) for i in sso_docs}) == 1


def test_subthemes_round_trip_and_their_edits(tmp_path):
    """[[subtheme]] entries: rename, merge within a theme, move to another theme, promote; all
    written back and read again (Japanese keys too)."""
    from voc.taxonomy import Taxonomy, load_taxonomy, save_taxonomy

    tax = Taxonomy()
    tax.ensure(3, name="価格")
    tax.ensure(5, name="導入")
    for sid in (41, 42, 43):
        tax.ensure_subtheme(sid, 3, keywords=["初期", "費用"])
    tax.rename_subtheme(41, "初期費用が高い")
    tax.merge_subtheme(42, 41)
    tax.move_subtheme(43, 5)
    path = save_taxonomy(tax, tmp_path / "taxonomy.toml")
    again = load_taxonomy(path)
    assert [(e.id, e.theme, e.name, e.merge_into) for e in again.subthemes] == [
        (41, 3, "初期費用が高い", None), (42, 3, "", 41), (43, 5, "", None)]
    assert again.resolve_subtheme(42) == 41 and again.subtheme(41).keywords == ["初期", "費用"]
    again.promote_subtheme(41)
    assert again.subtheme(41).promote and again.get(41) is not None  # a theme entry with the same id
    path.write_text(path.read_text(encoding="utf-8") + '\n[[subtheme]]\nid = 50\n"テーマ" = 3\n"昇格" = false\n',
                    encoding="utf-8")
    assert load_taxonomy(path).subtheme(50).theme == 3


@pytest.mark.parametrize(
    "body, message",
    [
        ("[[subtheme]]\nid = 4\n", "has no theme"),
        ("[[subtheme]]\nid = 4\ntheme = 1\ncolour = 'red'\n", "unknown key 'colour'"),
        ("[[subtheme]]\nid = 4\ntheme = 1\npromote = 'yes'\n", "promote must be true or false"),
        ("[[theme]]\nid = 4\n[[subtheme]]\nid = 4\ntheme = 1\n", "sub-theme id 4 is used twice"),
        ("[[subtheme]]\nid = 4\ntheme = 1\nmerge_into = 5\n[[subtheme]]\nid = 5\ntheme = 1\nmerge_into = 4\n",
         "makes a cycle"),
    ],
)
def test_bad_subtheme_entries_name_the_problem(tmp_path, body, message):
    from voc.taxonomy import load_taxonomy

    path = tmp_path / "t.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_taxonomy(path)


@pytest.mark.parametrize(
    "body, where",
    [
        (f"[[theme]]\nid = {2**31}\n", f"theme number 1: id {2**31}"),
        (f"[[theme]]\nid = {2**63 - 1}\n", f"theme number 1: id {2**63 - 1}"),
        ("[[theme]]\nid = 2\n[[theme]]\nid = -1\n", "theme number 2: id -1"),
        (f"[[theme]]\nid = 1\nmerge_into = {2**31}\n", f"theme number 1: merge_into {2**31}"),
        (f"[[subtheme]]\nid = {2**40}\ntheme = 1\n", f"number 1: id {2**40}"),
        (f"[[subtheme]]\nid = 4\ntheme = {2**31}\n", f"number 1: theme {2**31}"),
        (f"[[subtheme]]\nid = 4\ntheme = 1\nfound_in = {-2**63}\n", f"number 1: found_in {-2**63}"),
    ],
)
def test_ids_out_of_range_are_refused_naming_the_entry(tmp_path, body, where):
    # ids are stored as 32-bit integers in the run history: a larger one crashed the history stage
    path = tmp_path / "ids.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match="between 0 and 999,999,999") as info:
        load_taxonomy(path)
    assert "ids.toml" in str(info.value) and where in str(info.value)


def test_subtheme_edits_refuse_what_cannot_be_done():
    from voc.taxonomy import Taxonomy

    tax = Taxonomy()
    tax.ensure_subtheme(41, 3)
    tax.ensure_subtheme(43, 5)
    with pytest.raises(ConfigError, match="belong to different themes"):
        tax.merge_subtheme(41, 43)
    with pytest.raises(ConfigError, match="no sub-theme 99"):
        tax.rename_subtheme(99, "x")
