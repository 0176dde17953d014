"""voc.history.matching: theme signatures and one-to-one matching of a run's themes to the previous run's."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from voc.history.matching import combine_signatures, match_themes, signature_similarity, theme_signatures
from voc.taxonomy import Taxonomy

PRICE = [["価格", "高い"], ["価格", "割高"], ["費用", "高い", "価格"]]
RIVAL = [["NovaCRM", "無料", "トライアル"], ["他社", "NovaCRM", "採用"], ["NovaCRM", "安い"]]
SSO = [["SSO", "SAML", "必須"], ["IP", "制限", "SSO"]]
KW = {
    "price": [("価格", 0.9), ("高い", 0.6), ("割高", 0.3)],
    "rival": [("NovaCRM", 0.9), ("無料", 0.4), ("他社", 0.3)],
    "sso": [("SSO", 0.8), ("SAML", 0.5), ("制限", 0.3)],
}


def _sig(groups: list[str]) -> pd.DataFrame:
    docs = {"price": PRICE, "rival": RIVAL, "sso": SSO}
    tokens, labels, kw = [], [], {}
    for c, name in enumerate(groups):
        tokens += docs[name]
        labels += [c] * len(docs[name])
        kw[c] = KW[name]
    return theme_signatures(np.array(labels + [-1]), tokens + [[]], kw)


def test_signatures_are_term_centroids_and_keywords():
    sig = _sig(["price", "rival"])
    assert sig["cluster"].tolist() == [0, 1] and sig["size"].tolist() == [3, 3]
    price = sig.iloc[0]
    assert price["centroid_terms"][0] == "価格"  # in every price document
    assert np.linalg.norm(price["centroid_weights"]) == pytest.approx(1.0)
    assert price["keywords"] == ["価格", "高い", "割高"]
    assert signature_similarity(price, price) == pytest.approx(1.0)
    assert signature_similarity(price, sig.iloc[1]) == pytest.approx(0.0)


def _previous(groups: dict[int, str]) -> pd.DataFrame:
    sig = _sig(list(groups.values()))
    return sig.assign(theme_id=list(groups)).drop(columns=["cluster"])


def test_matched_themes_keep_their_ids_new_ones_get_fresh_ids_and_vanished_are_listed():
    previous = _previous({4: "price", 9: "sso"})
    current = _sig(["rival", "price"])  # price again (other cluster number), rival new, sso gone
    mapping, vanished = match_themes(current, previous, next_id=10)
    got = dict(zip(mapping["cluster"], zip(mapping["theme_id"], mapping["status"], strict=True), strict=True))
    assert got == {1: (4, ""), 0: (10, "新規")}
    assert mapping.set_index("cluster").loc[1, "score"] == pytest.approx(1.0)
    assert mapping.set_index("cluster").loc[0, "previous_id"] == -1
    assert vanished == [9]


def test_threshold_decides_what_counts_as_the_same_theme():
    previous = _previous({1: "price"})
    current = _sig(["price"])
    # Make the current price theme only partly similar: different keywords, same documents.
    current.at[0, "keywords"] = ["値引き", "価格"]
    current.at[0, "keyword_weights"] = [1.0, 0.2]
    score = signature_similarity(current.iloc[0], previous.iloc[0])
    assert 0.5 < score < 0.7
    assert match_themes(current, previous, next_id=2, threshold=score - 0.01)[0]["theme_id"].tolist() == [1]
    assert match_themes(current, previous, next_id=2, threshold=score + 0.01)[0]["theme_id"].tolist() == [2]


def test_matching_is_one_to_one():
    previous = _previous({1: "price"})
    current = _sig(["price", "price"])
    mapping, _ = match_themes(current, previous, next_id=5)
    assert sorted(mapping["theme_id"]) == [1, 5]


def test_first_run_and_taxonomy_candidates():
    current = _sig(["price", "rival"])
    mapping, vanished = match_themes(current, None, next_id=1)
    assert mapping["theme_id"].tolist() == [1, 2] and vanished == []
    tax = Taxonomy()
    tax.ensure(7, keywords=["NovaCRM", "無料", "他社"])  # e.g. the history file was deleted
    tax.set_seed_words(8, ["SSO", "SAML"])  # a seeded theme never seen yet
    mapping, _ = match_themes(current, None, next_id=20, taxonomy=tax)
    assert mapping["theme_id"].tolist() == [20, 7]


def test_combine_signatures_weights_by_size():
    sig = _previous({1: "price", 2: "rival"})
    both = combine_signatures(sig, {1: [1, 2]})
    row = both.iloc[0]
    assert row["theme_id"] == 1 and row["size"] == 6
    assert set(row["keywords"]) == {"価格", "高い", "割高", "NovaCRM", "無料", "他社"}
    assert row["keywords"][0] in {"価格", "NovaCRM"}
    assert np.linalg.norm(row["centroid_weights"]) == pytest.approx(1.0)


def test_stable_theme_ids_use_the_last_comparable_run_and_apply_merges(tmp_path):
    from voc.history import stable_theme_ids
    from voc.history.store import RunStore

    prev = _previous({4: "price", 9: "rival"})
    prev["reported_as"] = prev["theme_id"]
    prev["label"], prev["share"], prev["status"] = ["価格", "競合"], [0.5, 0.5], ["", ""]
    run = {"run_id": "r1", "created_at": "2026-08-31T00:00:00Z", "config": {"text_columns": ["lost_reason"]},
           "n_read": 6, "n_kept": 6, "n_rejected": 0, "n_themes": 2, "n_unassigned": 0, "voc_version": "0"}
    history = tmp_path / "history.duckdb"
    with RunStore(history) as store:
        store.record_run(run, prev, pd.DataFrame({"row": range(6), "theme_id": [4, 4, 4, 9, 9, 9]}))
    tokens = RIVAL + PRICE + SSO
    labels = np.array([0, 0, 0, 1, 1, 1, 2, 2])
    keywords = {0: KW["rival"], 1: KW["price"], 2: KW["sso"]}
    tax = Taxonomy()
    tax.merge(9, 4)  # the marketer folded 競合 into 価格
    ids = stable_theme_ids(labels, tokens, keywords, tax, history=history, text_columns=["lost_reason"])
    assert ids.previous_run_id == "r1"
    by_cluster = dict(zip(ids.themes["cluster"], ids.themes["theme_id"], strict=True))
    assert by_cluster[0] == 9 and by_cluster[1] == 4 and by_cluster[2] == 10  # 10 = above every id used
    assert ids.reported.tolist() == [4, 4, 4, 4, 4, 4, 10, 10]  # 9 reported as 4
    assert ids.status == {4: "", 10: "新規"}
    assert set(ids.keywords[4]) >= {"価格", "NovaCRM"}
    other = stable_theme_ids(labels, tokens, keywords, Taxonomy(), history=history, text_columns=["call_note"])
    assert other.previous_run_id == "" and other.themes["theme_id"].min() == 10  # ids never reused


def test_pairs_below_the_threshold_cannot_steal_a_match(monkeypatch):
    """X is A's best match (0.55); pairing Y–A (0.51) + X–B (0.40, below 0.5) sums higher, but a
    below-threshold pair must count as nothing."""
    import voc.history.matching as matching

    table = {("X", "A"): 0.55, ("Y", "A"): 0.51, ("X", "B"): 0.40, ("Y", "B"): 0.30}
    monkeypatch.setattr(matching, "signature_similarity", lambda a, b, **_: table[(a["keywords"][0], b["keywords"][0])])

    def sig(name: str) -> dict:
        return {"keywords": [name], "keyword_weights": [1.0], "centroid_terms": [], "centroid_weights": []}

    current = pd.DataFrame([{"cluster": 0, **sig("X")}, {"cluster": 1, **sig("Y")}])
    previous = pd.DataFrame([{"theme_id": 1, **sig("A")}, {"theme_id": 2, **sig("B")}])
    mapping, vanished = matching.match_themes(current, previous, next_id=3, threshold=0.5)
    assert mapping["theme_id"].tolist() == [1, 3] and vanished == [2]


def test_count_rows_is_what_countvectorizer_gives():
    # theme signatures count tokens with pandas' factorize instead of CountVectorizer's Python
    # loop: same matrix, same (sorted) vocabulary, empty documents included
    from sklearn.feature_extraction.text import CountVectorizer

    from voc.history.matching import _count_rows

    docs = [["価格", "高い", "価格"], [], ["API", "連携", "api", "ＡＰＩ"], ["カスタマイズ", "見積もり", "高い"], ["Z", "a", "ア"]]
    vec = CountVectorizer(analyzer=lambda d: d)
    expected = vec.fit_transform(docs).astype(float)
    got, vocab = _count_rows(docs)
    assert list(vocab) == list(vec.get_feature_names_out())
    assert (got != expected).nnz == 0 and got.shape == expected.shape
    empty, none = _count_rows([[], []])
    assert empty.shape == (2, 0) and len(none) == 0
