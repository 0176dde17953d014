"""The themes stage: :class:`ThemeModel`, a scikit-learn-style wrapper around BERTopic.

The model tokenizes each document once, embeds it with an offline backend (:mod:`voc.embed`),
optionally reduces with a seeded UMAP, clusters (:mod:`voc.themes.cluster`: consensus k-means refined by a
mixture model over embeddings and words, for a fixed or automatically chosen k), and lets
BERTopic's c-TF-IDF find each theme's Japanese keywords from the same tokens. Above ``fit_sample``
documents it clusters a stratified sample and assigns the rest (:mod:`voc.themes._sample`), on this
machine or on Dask (an executor). :meth:`ThemeModel.fit` is the one way voc fits themes: the report,
``voc evaluate``, ``bench/`` and the notebooks all call it. :func:`ctfidf` is voc's own c-TF-IDF, for
the groups it forms itself (sub-themes, edited themes).

Files: :mod:`voc.themes.cluster` (public: the clusterers, also used by :mod:`voc.subthemes`),
``_autok`` (auto mode's k), ``_bertopic`` (BERTopic imported with its plotting deferred), ``_model``,
``_parts``, ``_sample``, ``_ctfidf``, ``_guide``, ``_info``, ``_display``.
"""

from __future__ import annotations

from voc.themes._ctfidf import ctfidf, ctfidf_keywords
from voc.themes._display import CSS, escape, model_html, theme_table_html
from voc.themes._guide import guide_embeddings
from voc.themes._model import MIN_DOCUMENTS, ThemeModel
from voc.themes._sample import DEFAULT_FIT_SAMPLE, content_strata, stratified_sample

__all__ = ["ThemeModel", "MIN_DOCUMENTS", "DEFAULT_FIT_SAMPLE", "stratified_sample", "content_strata", "guide_embeddings",
           "ctfidf", "ctfidf_keywords", "model_html", "theme_table_html", "CSS", "escape"]
