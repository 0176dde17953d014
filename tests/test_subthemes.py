"""Sub-themes: split by stability against a null, named, deterministic (voc.subthemes)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from voc.errors import ConfigError
from voc.subthemes import find_subthemes, split_theme, subtheme_keywords

# Two planted groups of one theme (meal requests): allergies, and children's tableware.
_ALLERGY = [
    "{a}アレルギーがあるので除去してほしい", "{a}アレルギーの家族がいます", "{a}を使わない料理にしてください",
    "{a}アレルギーに対応できますか", "料理に{a}が入っていないか教えてください", "{a}抜きでお願いします",
]
_KIDS = [
    "子供用の{k}を用意してほしい", "{k}は子供用がありますか", "小さい子供がいるので{k}を貸してください",
    "子供用の{k}があると助かります", "子供用の{k}はありますか", "子供が使える{k}をお願いします",
]
_ALLERGENS = ["卵", "小麦", "そば", "牛乳", "えび", "ナッツ", "大豆", "かに"]
_THINGS = ["椅子", "食器", "スプーン", "フォーク", "お皿", "コップ", "エプロン", "ベッド"]


def _planted() -> tuple[list[str], np.ndarray]:
    texts = [t.format(a=a) for a in _ALLERGENS for t in _ALLERGY] + [t.format(k=k) for k in _THINGS for t in _KIDS]
    truth = np.asarray([0] * (len(_ALLERGENS) * len(_ALLERGY)) + [1] * (len(_THINGS) * len(_KIDS)))
    return texts, truth


@pytest.fixture(scope="module")
def planted() -> dict:
    from voc.embed import make_embedder
    from voc.tokenize import Tokenizer

    texts, truth = _planted()
    tokens = Tokenizer().tokenize_many(texts)
    emb = make_embedder("lsa", random_state=0).fit_transform(texts, tokens)
    return {"texts": texts, "truth": truth, "tokens": tokens, "emb": emb}


def test_planted_two_groups_give_two_subthemes(planted: dict) -> None:
    split = split_theme(planted["emb"], planted["tokens"], random_state=0)
    assert split.k == 2, split.reason
    assert adjusted_rand_score(planted["truth"], split.labels) > 0.9
    assert split.stability[2] - split.null_stability[2] >= 0.1


def test_homogeneous_theme_is_left_whole() -> None:
    # one elongated cloud (the variance falls off along its axes) and no groups: every subset cuts
    # it the same way at k = 2, and so does its Gaussian null, so there is no gain
    rng = np.random.default_rng(0)
    X = rng.standard_normal((400, 40)) * np.geomspace(3.0, 0.1, 40)
    split = split_theme(X + 5.0, random_state=0)
    assert split.k == 0 and (split.labels == -1).all(), split.reason
    assert "left whole" in split.reason


def test_small_theme_is_not_split() -> None:
    split = split_theme(np.eye(20, 8), min_size=15)
    assert split.k == 0 and "too few" in split.reason


def test_find_subthemes_table(planted: dict) -> None:
    texts, tokens, emb = planted["texts"], planted["tokens"], planted["emb"]
    themes = np.zeros(len(texts), dtype=int)
    themes[:3] = -1  # unassigned texts stay out
    res = find_subthemes(texts, tokens, emb, themes, theme_names={0: ["子供"]}, random_state=0)
    t = res.table
    assert list(t.columns) == ["theme_id", "subtheme", "label", "phrases", "size", "share", "keywords", "quotes"]
    assert len(t) >= 2 and list(t.subtheme) == list(range(len(t)))
    assert t["size"].sum() == len(texts) - 3 and t["size"].is_monotonic_decreasing
    assert t["share"].sum() == pytest.approx(1.0)
    assert (res.assignments[:3] == -1).all() and set(res.assignments[3:].tolist()) == set(range(len(t)))
    assert t.label.nunique() == len(t) and "子供" not in [p for ps in t.phrases for p in ps]
    truth = planted["truth"]
    for row in t.itertuples():
        inside = res.assignments == row.subtheme
        members = [x for x, s in zip(texts, inside) if s]
        assert max(np.mean(truth[inside] == 0), np.mean(truth[inside] == 1)) >= 0.9  # one planted group
        for p in row.phrases:
            assert sum(p in x for x in members) >= 0.03 * len(members)
        assert row.quotes and all(q in members for q in row.quotes)
        assert row.keywords


def test_deterministic(planted: dict) -> None:
    texts, tokens, emb = planted["texts"], planted["tokens"], planted["emb"]
    themes = np.zeros(len(texts), dtype=int)
    a = find_subthemes(texts, tokens, emb, themes, random_state=5)
    b = find_subthemes(texts, tokens, emb, themes, random_state=5, n_jobs=1)
    assert a.table.equals(b.table)
    assert (a.assignments == b.assignments).all()


def test_keywords_by_ctfidf() -> None:
    tokens = [["卵", "アレルギー"], ["小麦", "アレルギー"], ["椅子", "子供"], ["食器", "子供"]]
    kw = subtheme_keywords(tokens, np.asarray([0, 0, 1, 1]), 2)
    assert kw[0][0] == "アレルギー" and kw[1][0] == "子供"


@pytest.mark.parametrize(
    "kwargs, message",
    [({"max_subthemes": 1}, "max_subthemes must be an integer ≥ 2"), ({"min_size": 0}, "min_size"), ({"sample": True}, "sample")],
)
def test_bad_parameters(kwargs: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        split_theme(np.eye(50, 8), **kwargs)


def test_lengths_must_match() -> None:
    with pytest.raises(ValueError, match="same length"):
        find_subthemes(["a"], [["a"]], np.eye(2), [0, 0])
