"""The table of units and the long table of their themes (see :mod:`voc.units`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = ["UNIT_COLUMNS", "make_units", "statement_units", "unit_records", "unit_themes", "deal_themes"]

#: Columns of the table of units, in order.
UNIT_COLUMNS = ["unit", "row", "column", "start", "end", "text", "tokens", "kind", "cue"]

#: Joins the names of the text columns a unit spans (``call_note+lost_reason``).
COLUMN_JOIN = "+"


def make_units(kept: pd.DataFrame, text_columns: Sequence[str], tokens: Sequence[Sequence[str]]) -> pd.DataFrame:
    """The table of units of the kept rows: today one unit per row (the identity).

    Parameters
    ----------
    kept : DataFrame
        The clean stage's kept rows: needs ``row`` and ``text`` (:func:`voc.clean.clean`).
    text_columns : sequence of str
        The configured text columns; a whole-row unit's ``column`` names them all, joined by ``+``
        (``call_note+lost_reason``), in the order the clean stage joined their parts.
    tokens : sequence of token lists
        The tokens of each kept row's ``text``, in the order of *kept*.

    Returns
    -------
    DataFrame
        One row per unit, in the order of *kept*: ``unit`` (0, 1, …: position, the index every
        later stage's arrays follow), ``row`` (the export's row number), ``column``, ``start`` and
        ``end`` (character offsets into ``text``: the whole of it), ``text``, ``tokens``, ``kind``
        (``voice``: every whole row gets a theme) and ``cue`` (empty).
    """
    import numpy as np
    import pandas as pd

    texts = kept["text"].tolist()
    if len(tokens) != len(texts):
        raise ValueError(f"{len(tokens)} token lists for {len(texts)} kept rows")
    n = len(texts)
    return pd.DataFrame({
        "unit": np.arange(n, dtype=np.int64),
        "row": kept["row"].to_numpy(),
        "column": COLUMN_JOIN.join(text_columns),
        "start": np.zeros(n, dtype=np.int64),
        "end": np.asarray([len(t) for t in texts], dtype=np.int64),
        "text": texts,
        "tokens": list(tokens),
        "kind": "voice",
        "cue": "",
    }, columns=UNIT_COLUMNS)


def statement_units(statements: pd.DataFrame) -> pd.DataFrame:
    """The table of units when statements are the unit: one unit per kept statement
    (:func:`voc.units.clean_statements`: ``row``, ``column``, ``start``, ``end`` (offsets into the
    cell as the export holds it), ``text``, ``tokens``, ``kind``, ``cue``), numbered in their order."""
    import numpy as np

    out = statements.reset_index(drop=True)
    out.insert(0, "unit", np.arange(len(out), dtype=np.int64))
    return out[UNIT_COLUMNS]


def unit_records(units: pd.DataFrame, kept: pd.DataFrame) -> pd.DataFrame:
    """Each unit with its row's columns (date, outcome, segments …): the unit's ``text`` and every
    column of *kept* but its ``text``, in the order of *units* (for quotes in context)."""
    rows = kept.drop(columns=["text", "tokens"], errors="ignore")
    return units[["row", "text"]].merge(rows, on="row", how="left", sort=False, validate="many_to_one")


def unit_themes(units: pd.DataFrame, themes: np.ndarray, subthemes: np.ndarray | None = None) -> pd.DataFrame:
    """The long table: ``unit``, ``row``, ``column``, ``kind``, ``theme_id`` (``-1``: none) and
    ``subtheme_id`` (``-1``: its theme is not split; ``-1`` everywhere without *subthemes*), one
    row per unit. *themes* and *subthemes* follow the **voice** units of *units*, in order (what
    the analysis fitted); log units get ``-1``."""
    import numpy as np

    out = units[["unit", "row", "column"]].copy()
    out["kind"] = units["kind"].to_numpy() if "kind" in units.columns else "voice"  # no kind: every unit is voice
    voice = (out["kind"] == "voice").to_numpy()
    theme = np.full(len(out), -1, dtype=int)
    theme[voice] = np.asarray(themes, dtype=int)
    sub = np.full(len(out), -1, dtype=int)
    if subthemes is not None:
        sub[voice] = np.asarray(subthemes, dtype=int)
    out["theme_id"], out["subtheme_id"] = theme, sub
    return out


def deal_themes(long: pd.DataFrame, kept: pd.DataFrame, key: str = "theme_id") -> pd.DataFrame:
    """The deals each theme (or sub-theme, *key* ``subtheme_id``) holds: one row per distinct
    (``row``, theme) of the long table *long*, with the row's columns from *kept* (all but ``text``)
    and the theme as ``theme_id``; in the order of the units. A theme that several units of one
    row carry counts that row once."""
    pairs = long[["row", key]].drop_duplicates().rename(columns={key: "theme_id"})
    rows = kept.drop(columns=["text", "tokens", "theme_id"], errors="ignore")
    return pairs.merge(rows, on="row", how="left", sort=False, validate="many_to_one")
