"""voc._counts: sparse counts from token lists, identical to scikit-learn's vectorizers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from voc._counts import count_matrix, factorize_tokens, tfidf_matrix
from voc.tokenize import Tokenizer

from .conftest import SAMPLE_CSV


def _identity(tokens):
    return tokens


@pytest.fixture(scope="module")
def tokens() -> list[list[str]]:
    frame = pd.read_csv(SAMPLE_CSV, dtype=str, keep_default_na=False)
    texts = [t for t in frame["lost_reason"].tolist() + frame["call_note"].tolist() if t][:3000]
    toks = Tokenizer().tokenize_many(texts)
    # the corner cases: no token at all, only unknown tokens, a token repeated within a document
    return [*toks, [], ["未知語トークンその一", "未知語トークンその二"], ["価格", "価格", "予算", "価格"]]


def _same(a, b) -> None:
    assert a.shape == b.shape and a.dtype == b.dtype
    assert a.has_sorted_indices and b.has_sorted_indices
    np.testing.assert_array_equal(a.indptr, b.indptr)
    np.testing.assert_array_equal(a.indices, b.indices)
    np.testing.assert_array_equal(a.data, b.data)  # bit for bit, not approximately


def test_factorize_tokens() -> None:
    doc, codes, uniques = factorize_tokens([["価格", "予算"], [], ["価格"]])
    assert doc.tolist() == [0, 0, 2] and codes.tolist() == [0, 1, 0] and uniques.tolist() == ["価格", "予算"]
    doc, codes, uniques = factorize_tokens([[], []])
    assert len(doc) == len(codes) == len(uniques) == 0


@pytest.mark.parametrize(("binary", "dtype"), [(False, np.int64), (True, np.float32), (False, np.float64)])
def test_count_matrix_is_countvectorizer_transform(tokens, binary, dtype) -> None:
    fitted = CountVectorizer(analyzer=_identity, min_df=2, binary=binary, dtype=dtype).fit(tokens[:2000])
    # documents the vocabulary was not fitted on, with tokens it does not know
    new = tokens[2000:]
    assert any(t not in fitted.vocabulary_ for doc in new for t in doc)
    _same(count_matrix(new, fitted.vocabulary_, binary=binary, dtype=dtype), fitted.transform(new))


def test_tfidf_matrix_is_tfidfvectorizer_transform(tokens) -> None:
    fitted = TfidfVectorizer(analyzer=_identity, min_df=2, sublinear_tf=True, dtype=np.float32).fit(tokens[:2000])
    _same(tfidf_matrix(tokens[2000:], fitted), fitted.transform(tokens[2000:]))
    plain = TfidfVectorizer(analyzer=_identity, use_idf=False).fit(tokens[:2000])
    _same(tfidf_matrix(tokens[2000:], plain), plain.transform(tokens[2000:]))


def test_lsa_and_clusterer_use_the_same_matrices_as_sklearn(tokens) -> None:
    """The two transform paths that use voc._counts give what scikit-learn's transform gives."""
    from voc.embed._lsa import LSAEmbedder
    from voc.themes.cluster import ConsensusEMClusterer

    texts = [" ".join(t) for t in tokens]
    lsa = LSAEmbedder().fit(texts[:2000], tokens[:2000])
    _same(lsa._matrix(texts[2000:], tokens[2000:], fit=False), lsa.token_vectorizer_.transform(tokens[2000:]))
    rng = np.random.default_rng(0)
    clu = ConsensusEMClusterer(n_clusters=3, n_runs=2, n_jobs=1).fit(
        rng.normal(size=(2000, 8)), tokens=tokens[:2000]
    )
    _same(clu._count_matrix(tokens[2000:], fit=False), clu.vectorizer_.transform(tokens[2000:]))
