from __future__ import annotations

import numpy as np
import pytest

from voc.label import distinct_keywords, label_from_keywords, representative_quotes


@pytest.mark.parametrize(
    "keywords, expected",
    [
        (["導入費用", "導入", "費用", "高い", "予算"], "導入費用・高い・予算"),
        (["SSO", "SSO非対応", "セキュリティー"], "SSO・セキュリティー"),
        ([], "(キーワードなし)"),
    ],
)
def test_label_from_keywords_skips_contained_words(keywords, expected):
    assert label_from_keywords(keywords) == expected


def test_distinct_keywords_limit():
    assert distinct_keywords(["価格", "価格面", "高い", "競合", "予算"], 2) == ["価格", "高い"]


def test_representative_quotes_prefers_centre_and_skips_near_duplicates():
    texts = ["価格が高い", "価格が高い。", "価格が高すぎる", "SSOに非対応"]
    emb = np.array([[0.8, 0.2], [0.8, 0.2], [1.0, 0.0], [0.4, 0.6]])
    emb = emb / np.linalg.norm(emb, axis=1, keepdims=True)
    picks = representative_quotes(texts, emb, n=2)
    assert picks[0] == 0
    assert 1 not in picks  # near-duplicate of the first pick
    assert picks[1] == 2


def test_representative_quotes_empty():
    assert representative_quotes([], np.zeros((0, 2))) == []
