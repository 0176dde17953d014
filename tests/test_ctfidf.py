"""voc.themes.ctfidf: the one c-TF-IDF of voc's own keywords, with both weightings it uses."""

from __future__ import annotations

import math

import pytest

from voc.themes import ctfidf, ctfidf_keywords

TOKENS = [["価格", "高い"], ["価格", "値引き"], ["サポート", "価格"], ["サポート", "遅い", "遅い"], ["他社"]]
LABELS = [0, 0, 1, 1, -1]


def test_weights_follow_the_formula_with_and_without_the_square_root():
    # group 0: 価格 2, 高い 1, 値引き 1 (4 words); group 1: サポート 2, 価格 1, 遅い 2 (5 words); A = 4.5
    avg = 9 / 2
    idf_price = math.log(1 + avg / 3)
    plain = ctfidf(TOKENS, LABELS, reduce_frequent_words=False)
    reduced = ctfidf(TOKENS, LABELS, reduce_frequent_words=True)
    assert plain[0]["価格"] == pytest.approx(2 / 4 * idf_price)
    assert reduced[0]["価格"] == pytest.approx(math.sqrt(2 / 4) * idf_price)
    assert reduced[1]["遅い"] == pytest.approx(math.sqrt(2 / 5) * math.log(1 + avg / 2))
    assert set(plain) == {0, 1}  # -1 is no group


def test_the_weightings_rank_differently_and_exclude_drops_words():
    # the square root lifts rare words: 価格 (frequent everywhere) falls behind 高い in group 0
    assert ctfidf_keywords(TOKENS, LABELS, 3, reduce_frequent_words=False)[0][0] == "価格"
    assert ctfidf_keywords(TOKENS, LABELS, 3, reduce_frequent_words=True)[0][0] != "価格"
    assert "価格" not in ctfidf_keywords(TOKENS, LABELS, 5, exclude=frozenset({"価格"}))[1]


def test_subtheme_keywords_and_the_editor_use_it():
    import numpy as np

    from voc.edit import class_keywords
    from voc.subthemes import subtheme_keywords

    assert subtheme_keywords(TOKENS, np.asarray(LABELS), 3) == ctfidf_keywords(TOKENS, LABELS, 3,
                                                                               reduce_frequent_words=False)
    assert class_keywords(TOKENS, LABELS, top_n=3) == ctfidf_keywords(TOKENS, LABELS, 3)
