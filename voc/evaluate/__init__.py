"""Measure theme quality against gold labels: ``voc evaluate``.

Fits voc's themes for several seeds on labeled texts and reports, per seed and as a mean, how well
they recover the labels (NMI, ARI, V-measure), how many texts are left unassigned, how many themes
were found, the themes' NPMI coherence over the corpus' own tokens and their diversity, the quality
of the themes' phrase names (grounded, fragments, distinct), plus seed stability (mean pairwise ARI
between seeds). With finer sub-labels it also scores voc's sub-themes against them, next to a flat
fit at the number of sub-labels. In the same run and on the same tokens it fits three baselines:
TF-IDF + k-means, TF-IDF + NMF and scikit-learn's LDA, and on request a supervised reference (a
cross-validated classifier told the labels; :mod:`voc.evaluate.references`).

Only labels are needed; the text goes through the same cleaning (:func:`voc.clean.normalize_text`)
and tokenizer as ``voc report``.

``_run`` holds the fits of one seed, ``_core`` scores them (:func:`evaluate`), ``_table`` the
result and its Markdown, ``_io`` reading labeled exports and writing the table. Several labels per
text (``a|b``) and statements as the unit: ``_units`` fits (:func:`evaluate_units`, issue #27),
``_multi`` scores (topic recall and precision, statement NMI / ARI, segmentation). Two public modules
hold what the scoring uses: :mod:`voc.evaluate.metrics` (coherence, diversity, the names' and the
two levels' measures) and :mod:`voc.evaluate.references` (the baselines and the supervised reference).
"""

from __future__ import annotations

from voc.evaluate._core import METHODS, evaluate
from voc.evaluate._io import read_labeled, read_labels, run_evaluate
from voc.evaluate._multi import parse_label_sets
from voc.evaluate._table import EvaluationResult
from voc.evaluate._units import evaluate_units
from voc.evaluate.metrics import npmi_coherence, topic_diversity
from voc.evaluate.references import BASELINES

__all__ = [
    "BASELINES",
    "METHODS",
    "EvaluationResult",
    "evaluate",
    "evaluate_units",
    "parse_label_sets",
    "npmi_coherence",
    "read_labeled",
    "read_labels",
    "run_evaluate",
    "topic_diversity",
]
