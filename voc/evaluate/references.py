"""Reference methods that ``voc evaluate`` fits next to voc's themes, on the same tokens.

- **Baselines** (:func:`fit_baseline`): TF-IDF + k-means, TF-IDF + NMF (argmax of the document
  weights) and scikit-learn's LDA. They are what a straightforward pipeline gives; voc should beat
  them.
- **Supervised reference** (:func:`supervised_labels`): a logistic regression *told the labels*,
  cross-validated, on the same embedding voc clusters plus TF-IDF over the same tokens. It is not a
  clustering and not a target: it shows how much of the label structure the representation carries
  at all. Where voc's themes score far below it, the clustering groups the texts by something else
  than the labels (more themes, or another clustering, may recover them); where they score close to
  it, a better clustering of the same features cannot gain much, and only a better representation
  can (docs/quality.md).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["BASELINES", "SUPERVISED", "fit_baseline", "supervised_labels", "unassign_empty"]

#: Baselines in the order they are reported.
BASELINES = ("tfidf+kmeans", "tfidf+nmf", "lda")
#: Name of the supervised reference's rows.
SUPERVISED = "supervised"


def _identity(x: Any) -> Any:
    return x


def unassign_empty(labels: np.ndarray, tokens: Sequence[Sequence[str]]) -> np.ndarray:
    """*labels* with ``-1`` for every text without a token (no method can place those)."""
    labels = np.asarray(labels, dtype=int).copy()
    labels[[i for i, t in enumerate(tokens) if not t]] = -1
    return labels


def fit_baseline(
    method: str, tokens: Sequence[Sequence[str]], k: int, seed: int, top_n: int
) -> tuple[np.ndarray, list[list[str]]]:
    """Fit one baseline on *tokens*: (labels, keywords per topic)."""
    from sklearn.cluster import KMeans
    from sklearn.decomposition import NMF, LatentDirichletAllocation
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

    min_df = 2 if len(tokens) >= 200 else 1
    if method == "lda":
        vec = CountVectorizer(analyzer=_identity, min_df=min_df)
        X = vec.fit_transform(tokens)
        lda = LatentDirichletAllocation(n_components=k, learning_method="batch", max_iter=20, random_state=seed)
        W = lda.fit_transform(X)
        labels, H = W.argmax(axis=1), lda.components_
    else:
        vec = TfidfVectorizer(analyzer=_identity, min_df=min_df, sublinear_tf=True)
        X = vec.fit_transform(tokens)
        if method == "tfidf+kmeans":
            km = KMeans(n_clusters=k, n_init=10, random_state=seed).fit(X)
            labels, H = km.labels_, km.cluster_centers_
        elif method == "tfidf+nmf":
            nmf = NMF(n_components=k, init="nndsvda", max_iter=400, random_state=seed)
            W = nmf.fit_transform(X)
            labels, H = W.argmax(axis=1), nmf.components_
        else:
            raise ValueError(f"unknown baseline {method!r}; one of {BASELINES}")
    vocab = vec.get_feature_names_out()
    used = sorted(set(labels.tolist()))
    keywords = [[str(vocab[j]) for j in np.argsort(-H[t])[:top_n] if H[t, j] > 0] for t in used]
    return unassign_empty(labels, tokens), keywords


def supervised_labels(
    embeddings: np.ndarray,
    tokens: Sequence[Sequence[str]],
    gold: Sequence[str],
    scored: np.ndarray,
    seed: int,
    folds: int = 5,
) -> np.ndarray:
    """Labels a logistic regression predicts for each text when it is trained on the others.

    Features: the (L2-normalized) *embeddings* next to sublinear TF-IDF over *tokens*, each block
    with unit norm per text. The texts where *scored* is true carry the gold labels *gold* (one per
    scored text): each gets the prediction of a model fitted on the other folds (stratified
    *folds*-fold cross-validation, shuffled with *seed*), never its own label. Unscored texts
    (``evaluate(..., unlabeled="fit")``) get the prediction of a model fitted on every scored text.
    Returns integer codes of the labels (``-1`` for texts without a token), comparable with gold by
    NMI and ARI.
    """
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold
    from sklearn.preprocessing import normalize

    scored = np.asarray(scored, dtype=bool)
    classes, y = np.unique(np.asarray(gold, dtype=str), return_inverse=True)
    min_df = 2 if len(tokens) >= 200 else 1
    T = TfidfVectorizer(analyzer=_identity, min_df=min_df, sublinear_tf=True, dtype=np.float32).fit_transform(tokens)
    X = sp.hstack([sp.csr_matrix(normalize(np.asarray(embeddings, dtype=np.float32))), T], format="csr")
    pred = np.full(len(tokens), -1, dtype=int)
    Xs = X[np.flatnonzero(scored)]
    # at most as many folds as the rarest label has texts (and at least two)
    n_folds = max(2, min(int(folds), int(np.bincount(y).min())))

    def model() -> Any:
        return LogisticRegression(C=10.0, max_iter=2000)

    out = np.empty(len(y), dtype=int)
    with warnings.catch_warnings():  # a label rarer than the folds: scikit-learn warns, and copes
        warnings.filterwarnings("ignore", message="The least populated class", category=UserWarning)
        splits = list(StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=seed).split(Xs, y))
    for train, test in splits:
        out[test] = model().fit(Xs[train], y[train]).predict(Xs[test])
    pred[scored] = out
    if (~scored).any():
        pred[~scored] = model().fit(Xs, y).predict(X[np.flatnonzero(~scored)])
    return unassign_empty(pred, tokens)
