"""The analysis: themes → stable ids → names → sub-themes → stable sub-theme ids, in one object.

:class:`ThemeAnalysis` is the one owner of that sequence; the report pipeline, the notebook editor
(its sub-theme step, :func:`voc.subthemes.split_subthemes`) and ``voc evaluate`` call it. Its
result holds the themes and sub-themes as one node type (:class:`ThemeNode`, a sub-theme's parent
is its theme), one table per unit (:meth:`ThemeAnalysis.document_info`) and one per node
(:meth:`ThemeAnalysis.theme_info`).
"""

from __future__ import annotations

from voc.analysis._analysis import ThemeAnalysis
from voc.analysis._nodes import ThemeNode, node_table

__all__ = ["ThemeAnalysis", "ThemeNode", "node_table"]
