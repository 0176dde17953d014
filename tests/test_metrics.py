"""Name and two-level measures (voc.evaluate.metrics): groundedness, fragments, distinct names, pairs."""

from __future__ import annotations

import numpy as np
import pytest

from voc.evaluate.metrics import distinct_names, fragment_rate, name_groundedness, pair_labels, pair_scores

_TEXTS = [
    "コロナ禍なので部屋食がいい",
    "コロナ禍で部屋食を希望",
    "部屋食でお願いします",
    "コロナ禍が心配です",
    "食べ放題がいい",
    "食べ放題のプラン",
    "飲み放題と食べ放題",
    "お腹いっぱい食べたい",
]
_LABELS = [0, 0, 0, 0, 1, 1, 1, 1]


@pytest.mark.parametrize(
    "names, rate",
    [
        ({0: ["部屋食"], 1: ["食べ放題"]}, 0.0),
        ({0: ["禍"], 1: ["食べ放題"]}, 0.5),  # 禍 only ever inside コロナ禍
        ({0: ["コロナ"], 1: ["放題"]}, 1.0),  # コロナ inside コロナ禍; 放題 inside 食べ放題 and 飲み放題
        ({0: ["部屋食", "コロナ禍"], 1: ["お腹", "放題"]}, 0.5),  # one bad phrase spoils a name
        ({0: ["部屋"], 1: ["食べ放題"]}, 0.5),  # 部屋 inside 部屋食
    ],
)
def test_fragment_rate(names: dict, rate: float) -> None:
    assert fragment_rate(names, _TEXTS, _LABELS) == pytest.approx(rate)


@pytest.mark.parametrize(
    "names, share, min_share",
    [
        ({0: ["部屋食"], 1: ["食べ放題"]}, 1.0, 0.03),
        ({0: ["部屋食"], 1: ["食べ放題", "飲み放題"]}, 1.0, 0.25),  # 飲み放題: 1 of 4 texts
        ({0: ["部屋食"], 1: ["食べ放題", "飲み放題"]}, 0.5, 0.3),
        ({0: ["食べ放題"], 1: ["部屋食"]}, 0.0, 0.03),  # each other's phrases: in none of their texts
        ({0: [], 1: ["食べ放題"]}, 0.5, 0.03),  # no phrase: not grounded
        ({0: ["ＰＲＯＭＰＴ"], 1: ["食べ放題"]}, 0.5, 0.03),
    ],
)
def test_name_groundedness(names: dict, share: float, min_share: float) -> None:
    assert name_groundedness(names, _TEXTS, _LABELS, min_share) == pytest.approx(share)


def test_groundedness_is_after_nfkc() -> None:
    # full-width letters in the text and half-width in the name are the same after NFKC
    assert name_groundedness({0: ["CRM"]}, ["ＣＲＭの連携", "CRMが高い"], [0, 0]) == 1.0


def test_distinct_names() -> None:
    assert distinct_names(["食べ放題", "部屋食", "食べ放題"]) == pytest.approx(2 / 3)
    assert distinct_names(["食べ放題"]) == 1.0
    assert np.isnan(distinct_names([]))


def test_pair_labels_and_scores() -> None:
    themes = np.array([0, 0, 0, 0, 1, 1, -1])
    subs = np.array([0, 0, 1, 1, -1, -1, -1])
    pairs = pair_labels(themes, subs)
    assert pairs[-1] == -1 and len(set(pairs[:-1].tolist())) == 3
    assert pairs[0] == pairs[1] != pairs[2] == pairs[3] != pairs[4] == pairs[5]
    gold = ["a", "a", "b", "b", "c", "c", "c"]
    got = pair_scores(themes[:6], subs[:6], gold[:6])
    assert got["nmi"] == pytest.approx(1.0) and got["ari"] == pytest.approx(1.0) and got["n_pairs"] == 3
    # without the sub-themes the same themes score lower against the leaves
    assert pair_scores(themes[:6], np.full(6, -1), gold[:6])["nmi"] < 1.0
    with pytest.raises(ValueError, match="3 themes but 2 sub-themes"):
        pair_labels([0, 0, 0], [0, 1])
