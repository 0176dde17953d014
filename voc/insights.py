"""Per-theme figures computed from assignments (DataFrames in, DataFrames out).

This first version gives size and share; trends, win/loss effects and segment cross-tabs build on
the same inputs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["theme_sizes"]


def theme_sizes(assignments: pd.DataFrame) -> pd.DataFrame:
    """Count and share of each theme.

    Needs ``theme_id`` (``-1`` = unassigned). Returns ``theme_id``, ``size`` and ``share`` (of all
    assigned and unassigned documents), largest first, ties by id; unassigned documents are left out.
    """
    import pandas as pd

    total = len(assignments)
    counts = assignments.loc[assignments["theme_id"] >= 0, "theme_id"].value_counts()
    out = pd.DataFrame({"theme_id": counts.index.astype(int), "size": counts.values.astype(int)})
    out["share"] = out["size"] / total if total else 0.0
    return out.sort_values(["size", "theme_id"], ascending=[False, True], kind="stable").reset_index(drop=True)
