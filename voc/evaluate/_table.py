"""The result of ``voc evaluate``: one table, rendered as Markdown (and written as CSV by the CLI)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["EvaluationResult", "METRICS", "NAMING", "SUBTHEME", "COLUMNS"]

#: Label-based and label-free scores of every method.
METRICS = ("nmi", "ari", "v_measure", "unassigned", "n_themes", "coherence", "diversity")
#: Names of voc's themes (:class:`voc.naming.PhraseNamer`): share of grounded names, share of names
#: with a fragment of a longer word, share of distinct names. Blank for the baselines.
NAMING = ("grounded", "fragments", "distinct")
#: (theme, sub-theme) pairs against the sub-labels (``--sublabel-column``): NMI, ARI, pairs. Blank
#: for the baselines, and without sub-labels.
SUBTHEME = ("sub_nmi", "sub_ari", "n_pairs")
#: Every column of :attr:`EvaluationResult.table` after method and seed, in order.
COLUMNS = (*METRICS, *NAMING, *SUBTHEME, "seconds", "stability")
_COUNTS = ("n_themes", "n_pairs")
#: Several topics per text (:mod:`voc.evaluate._multi`): present in the table of ``--unit statement``
#: or of label sets only.
MULTI = ("topic_recall", "topic_precision", "one_theme_ceiling", "stmt_nmi", "stmt_ari", "segmentation",
         "voice_precision", "voice_recall", "log_precision", "log_recall")


@dataclass
class EvaluationResult:
    """What :func:`voc.evaluate.evaluate` measured.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per method and seed, plus one ``seed == "mean"`` row per method. Columns: method,
        seed, nmi, ari, v_measure, unassigned, n_themes, coherence, diversity; grounded, fragments,
        distinct (names of voc's themes); sub_nmi, sub_ari, n_pairs (sub-themes against the
        sub-labels); seconds; stability (mean pairwise ARI between seeds; on the mean rows only).
        A figure that does not apply to a method is NaN (blank in Markdown).
    n_documents, n_labels : int
    settings : dict
    """

    table: Any
    n_documents: int
    n_labels: int
    settings: dict[str, Any] = field(default_factory=dict)

    def means(self) -> Any:
        """The mean rows, indexed by method."""
        return self.table[self.table["seed"] == "mean"].set_index("method")

    def summary(self) -> str:
        """One line: texts, labels and settings (``scored = N`` when unlabeled texts were fitted too)."""
        settings = ", ".join(f"{k} = {v}" for k, v in self.settings.items() if k != "input")
        return f"{self.n_documents:,} texts, {self.n_labels} labels; {settings}"

    def to_markdown(self, *, per_seed: bool = True) -> str:
        """The table as GitHub Markdown (mean rows first, then per seed when *per_seed*). The
        sub-theme columns are shown only when some row has them (``--sublabel-column``)."""
        t = self.table if per_seed else self.table[self.table["seed"] == "mean"]
        t = t.sort_values(["seed"], key=lambda s: s.map(lambda v: (v != "mean", str(v))), kind="stable")
        optional = (*SUBTHEME, *MULTI)  # shown only when some row has them
        shown = [c for c in t.columns if c not in ("method", "seed") and (c not in optional or t[c].notna().any())]
        cols = ["method", "seed", *shown]
        lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
        for _, row in t.iterrows():
            cells = []
            for c in cols:
                v = row[c]
                if c in ("method", "seed"):
                    cells.append(str(v))
                elif v is None or (isinstance(v, float) and np.isnan(v)):
                    cells.append("")
                elif c in _COUNTS:
                    cells.append(f"{v:.1f}" if row["seed"] == "mean" else f"{int(v)}")
                elif c == "seconds":
                    cells.append(f"{v:.1f}")
                else:
                    cells.append(f"{v:.3f}")
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines) + "\n"
