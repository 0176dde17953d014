"""voc.evaluate.references: the baselines and the supervised reference that ``voc evaluate`` fits."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import normalized_mutual_info_score

from tests.test_evaluate import _labeled
from voc.evaluate import evaluate
from voc.evaluate.references import fit_baseline, supervised_labels


@pytest.fixture(scope="module")
def features():
    from voc.embed import make_embedder
    from voc.tokenize import Tokenizer

    texts, labels = _labeled()
    tokens = Tokenizer().tokenize_many(texts)
    return tokens, make_embedder("lsa", random_state=0).fit_transform(texts, tokens), labels


def test_supervised_reference_scores_held_out_texts_only(features) -> None:
    """Each scored text is predicted by a model that never saw it: with the real labels the
    reference recovers them; with random labels on distinct texts there is nothing to learn, and
    it cannot. A model that had seen the texts it predicts would score the random labels almost
    perfectly (it memorizes each text's own token; checked by breaking the folds)."""
    tokens, emb, labels = features
    every = np.ones(len(labels), dtype=bool)
    pred = supervised_labels(emb, tokens, labels, every, seed=0)
    assert normalized_mutual_info_score(labels, pred) > 0.8
    # 90 distinct texts (random embeddings, one token of their own each), random labels
    rng = np.random.default_rng(0)
    noise = rng.normal(size=(90, 20))
    own = [[f"語{i}"] for i in range(90)]
    random_labels = list(rng.choice(["a", "b", "c"], size=90))
    pred = supervised_labels(noise, own, random_labels, np.ones(90, dtype=bool), seed=0)
    assert normalized_mutual_info_score(random_labels, pred) < 0.3


def test_supervised_reference_predicts_unscored_texts(features) -> None:
    tokens, emb, labels = features
    scored = np.arange(len(labels)) % 3 != 0
    gold = [y for y, s in zip(labels, scored, strict=True) if s]
    pred = supervised_labels(emb, tokens, gold, scored, seed=1)
    assert len(pred) == len(labels) and (pred[~scored] >= 0).all()
    # the unscored texts' labels come from a model fitted on all scored ones: mostly right
    classes = sorted(set(gold))
    truth = np.array([classes.index(y) for y in labels])
    assert (pred[~scored] == truth[~scored]).mean() > 0.8


def test_baseline_rejects_unknown_method(features) -> None:
    tokens, _, _ = features
    with pytest.raises(ValueError, match="unknown baseline"):
        fit_baseline("tfidf+dbscan", tokens, 3, 0, 10)


def test_evaluate_reports_the_supervised_reference() -> None:
    texts, labels = _labeled()
    res = evaluate(texts, labels, seeds=(0, 1), embedding="lsa", baselines=False, supervised=True)
    means = res.means()
    assert list(means.index) == ["voc", "supervised"]
    row = means.loc["supervised"]
    assert row["nmi"] > 0.8 and np.isnan(row["coherence"]) and np.isnan(row["diversity"])
    assert "supervised" not in evaluate(texts, labels, seeds=(0,), embedding="lsa", baselines=False).means().index
