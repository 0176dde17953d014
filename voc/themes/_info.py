"""What a fitted :class:`~voc.themes.ThemeModel` says about its themes and documents (the analyst's
``theme_info()`` and ``document_info()``, after BERTopic's ``get_topic_info`` / ``get_document_info``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["theme_info", "document_info"]


def theme_info(model: Any, *, n_quotes: int = 5, n_keywords: int = 8) -> pd.DataFrame:
    """One row per theme, largest first: ``theme_id``, ``label``, ``size``, ``share``, ``keywords``
    (list, as the texts spell them) and ``quotes`` (list, the most representative first), over
    the documents passed to ``fit`` (:func:`voc.label.theme_table`)."""
    from voc.label import theme_table

    model._check_fitted()
    keywords = {int(t): [w for w, _ in kw] for t, kw in model.keywords_.items()}
    return theme_table(model.documents_, model.tokens_, model.embeddings_, model.labels_, keywords,
                       model.tokenizer_, n_keywords=n_keywords, n_quotes=n_quotes)


def _centroids(model: Any) -> dict[int, np.ndarray]:
    labels = np.asarray(model.labels_)
    out = {}
    for t in sorted(model.keywords_):
        c = np.asarray(model.embeddings_[labels == t], dtype=np.float64).mean(axis=0)
        norm = np.linalg.norm(c)
        out[int(t)] = c / norm if norm > 0 else c
    return out


def document_info(model: Any, texts: Sequence[str] | None = None) -> pd.DataFrame:
    """Where each text went: ``text``, ``theme_id`` (``-1``: nothing to embed), ``label`` (empty
    for -1) and ``distance`` (cosine distance to its theme's centre, 0 = at the centre; NaN for -1).

    Without *texts*, the documents passed to ``fit`` (with their fitted themes); otherwise new
    texts, assigned with ``transform``.
    """
    import pandas as pd

    model._check_fitted()
    if texts is None:
        texts, labels, emb = model.documents_, np.asarray(model.labels_), model.embeddings_
    else:
        texts = list(texts)
        tokens = model.tokenize(texts)
        emb = model.embed(texts, tokens)
        labels = model.transform(texts, tokens=tokens, embeddings=emb)
    names = dict(zip(*[theme_info(model, n_quotes=0)[c] for c in ("theme_id", "label")], strict=True))
    centres = _centroids(model)
    distance = np.full(len(texts), np.nan)
    for t, c in centres.items():
        members = np.flatnonzero(labels == t)
        if len(members):
            distance[members] = 1.0 - np.asarray(emb[members], dtype=np.float64) @ c
    return pd.DataFrame({
        "text": list(texts),
        "theme_id": labels.astype(int),
        "label": [names.get(int(t), "") for t in labels],
        "distance": distance,
    })
