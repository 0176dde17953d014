"""Sub-themes: the groups a theme holds, beside :mod:`voc.themes`.

* :mod:`voc.subthemes._split`: split one theme (:func:`split_theme`: stability against a Gaussian
  null), every theme (:func:`find_subthemes`: names, keywords, quotes), the keywords
  (:func:`subtheme_keywords`, :func:`voc.themes.ctfidf` without the square root).
* :mod:`voc.subthemes._result`: a run's sub-themes (:class:`SubthemeResult`): the split, each
  sub-theme's keyword tokens (:func:`split_subthemes`, the step :class:`voc.analysis.ThemeAnalysis`
  and the editor run) and their stable ids (:func:`voc.history.stable_subtheme_ids`), described
  for the report's :class:`~voc.report.model.SubthemeRow` lists and the history's sub-theme table.
* :mod:`voc.subthemes._smallkmeans`: k-means and ARI in plain NumPy for the splits' many small fits.
"""

from __future__ import annotations

from voc.subthemes._result import N_KEYWORDS, SubthemeResult, split_subthemes
from voc.subthemes._split import DIMS, SUBSETS, Split, Subthemes, find_subthemes, split_theme, subtheme_keywords

__all__ = [
    "Subthemes", "Split", "find_subthemes", "split_theme", "subtheme_keywords", "SubthemeResult", "split_subthemes",
    "N_KEYWORDS", "DIMS", "SUBSETS",
]
