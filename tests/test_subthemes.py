"""Sub-themes: split by stability against a null, named, deterministic (voc.subthemes)."""

from __future__ import annotations

import os

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from voc.errors import ConfigError
from voc.subthemes import find_subthemes, split_theme, subtheme_keywords

# Two planted groups of one theme (meal requests), each written sentence by sentence: allergies,
# and what a family with small children asks for.
_ALLERGY = [
    "卵アレルギーがあるので卵を使わない料理にしてほしい",
    "小麦アレルギーの家族がいます",
    "そばアレルギーなのでそばは出さないでください",
    "牛乳アレルギーに対応できますか",
    "えびとかにのアレルギーがあります",
    "ナッツアレルギーなので除去をお願いしたい",
    "大豆アレルギーでも食べられる料理はありますか",
    "アレルギー対応の夕食を希望します",
    "卵と乳製品を除去した料理にしてください",
    "甲殻類アレルギーがあるので海老は抜いてほしい",
    "アレルギーがあるので原材料を教えてください",
    "小麦を使わないメニューはありますか",
    "そば粉が入ったお菓子は避けたい",
    "卵アレルギーの娘の食事を別にしてほしい",
    "乳製品アレルギーに対応した朝食はありますか",
    "魚卵のアレルギーがあります",
    "アレルギー除去食をお願いできますか",
    "ナッツ類が入っていないデザートにしてほしい",
    "アレルギー表示のある献立を見せてください",
    "果物アレルギーなので果物は抜いてください",
    "えびアレルギーなので天ぷらは別にしてほしい",
    "卵を除去したお料理をお願いします",
    "アレルギー食材を使わない調理は可能ですか",
    "そばアレルギーが重いので調理器具も分けてほしい",
    "小麦アレルギーのため米粉のパンはありますか",
    "牛乳が飲めないので代わりの飲み物をお願いしたい",
    "アレルギーの相談ができる宿を探しています",
    "大豆製品を除去したお食事は可能でしょうか",
    "ごまアレルギーがあるのでごま油も避けたい",
    "アレルギーに詳しい料理人がいる宿がいい",
]
_KIDS = [
    "子供用の椅子を用意してほしい",
    "子供用の食器はありますか",
    "小さい子供がいるのでスプーンを貸してください",
    "子供用のフォークがあると助かります",
    "ベビーチェアはありますか",
    "子供用のお皿を用意してもらえますか",
    "子供が座れる椅子をお願いします",
    "子供用のコップとストローが欲しい",
    "乳幼児向けの食器を貸してほしい",
    "お子様用の椅子を借りられますか",
    "子供用のエプロンはありますか",
    "子供が使える割れない食器がいい",
    "ハイチェアを用意していただけますか",
    "子供用の小さいスプーンとフォークをお願いします",
    "子供用のプラスチックのお皿はありますか",
    "子供用のテーブルがある部屋がいい",
    "子供が使いやすい箸はありますか",
    "子供用の補助椅子を貸してください",
    "幼児用の椅子を二つ用意してほしい",
    "子供用のマグカップがあると嬉しい",
    "子供用の食器セットを借りたい",
    "赤ちゃん用の椅子はありますか",
    "子供用のお椀を用意してください",
    "子供が座れる座布団があると助かる",
    "子供用のカトラリーはありますか",
    "子供用のランチョンマットが欲しい",
    "子供が落としても割れないコップをお願いしたい",
    "子供用の背の高い椅子を置いてほしい",
    "小さい子供用の取り皿はありますか",
    "子供用のストロー付きのコップを貸して",
]


def _planted() -> tuple[list[str], np.ndarray]:
    texts = _ALLERGY + _KIDS
    truth = np.asarray([0] * len(_ALLERGY) + [1] * len(_KIDS))
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
        members = [x for x, s in zip(texts, inside, strict=True) if s]
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


def test_processes_give_the_same_subthemes(planted: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    import voc.subthemes._split as subthemes

    texts, tokens, emb = planted["texts"], planted["tokens"], planted["emb"]
    # three themes: the planted pair twice (shifted) and the allergy half alone
    texts3 = texts * 2
    tokens3 = tokens * 2
    emb3 = np.vstack([emb, emb[::-1] + 0.01])
    themes = np.asarray([0] * len(texts) + [1] * len(texts))
    themes[:10] = 2
    serial = find_subthemes(texts3, tokens3, emb3, themes, random_state=3, n_jobs=1)
    monkeypatch.setattr(subthemes, "_PARALLEL_MIN", 10)
    parent, split = os.getpid(), subthemes.split_theme

    def in_a_worker(*args, **kwargs):  # the forked path splits nothing in this process
        assert os.getpid() != parent, "split in the parent process: the workers were not used"
        return split(*args, **kwargs)

    monkeypatch.setattr(subthemes, "split_theme", in_a_worker)
    forked = find_subthemes(texts3, tokens3, emb3, themes, random_state=3, n_jobs=2)
    assert serial.table.equals(forked.table)
    assert (serial.assignments == forked.assignments).all()
    assert {t: s.reason for t, s in serial.splits.items()} == {t: s.reason for t, s in forked.splits.items()}


def test_subtheme_names_are_unique_in_the_run(planted: dict) -> None:
    texts, tokens, emb = planted["texts"], planted["tokens"], planted["emb"]
    themes = np.asarray([0] * len(texts) + [1] * len(texts))
    res = find_subthemes(texts * 2, tokens * 2, np.vstack([emb, emb]), themes, theme_names={0: ["子供"]}, random_state=0)
    assert set(res.table.theme_id) == {0, 1}  # the same texts twice: both themes split
    assert res.table.label.is_unique
    phrases = [p for ps in res.table.phrases for p in ps]
    assert len(phrases) == len(set(phrases)) and "子供" not in phrases


def test_keywords_by_ctfidf() -> None:
    tokens = [["卵", "アレルギー"], ["小麦", "アレルギー"], ["椅子", "子供"], ["食器", "子供"]]
    kw = subtheme_keywords(tokens, np.asarray([0, 0, 1, 1]), 2)
    assert kw[0][0] == "アレルギー" and kw[1][0] == "子供"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"max_subthemes": 1}, "max_subthemes must be an integer ≥ 2"),
        ({"min_size": 0}, "min_size"),
        ({"sample": True}, "sample"),
    ],
)
def test_bad_parameters(kwargs: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        split_theme(np.eye(50, 8), **kwargs)


def test_lengths_must_match() -> None:
    with pytest.raises(ValueError, match="same length"):
        find_subthemes(["a"], [["a"]], np.eye(2), [0, 0])


@pytest.mark.parametrize("n_distinct", [1, 2])
def test_a_theme_of_too_few_distinct_texts_is_left_whole(n_distinct: int) -> None:
    # a theme whose 300 members are one text (or two) repeated: no k has k + 1 distinct points to
    # cut between, and the gap of identical points is log(0) − log(0) (this raised "max() arg is an
    # empty sequence"); it must simply stay whole
    rng = np.random.default_rng(0)
    points = rng.standard_normal((n_distinct, 16)).astype(np.float32)
    emb = np.repeat(points, 300 // n_distinct, axis=0)
    tokens = [["地域", str(i % n_distinct)] for i in range(len(emb))]
    with np.errstate(all="raise"):  # no log(0) or 0/0 on the way
        split = split_theme(emb, tokens, random_state=0, n_jobs=1)
    assert split.k == 0 and (split.labels == -1).all()
    assert f"{n_distinct} distinct text" in split.reason
