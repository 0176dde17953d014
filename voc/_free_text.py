"""Is the text column free text? A category column given as ``--text-column`` is refused.

voc finds themes in free text, where nearly every note is worded differently: the distinct texts
grow almost as fast as the rows (the sample corpus: 2,095 distinct lost reasons in 2,318 rows).
A category column (owner, region, a picklist of reasons) holds a closed set of values that repeat
however many rows there are: its "themes" would be the values themselves, which a segment
column already counts. The rule: the analysed texts (after cleaning and PII masking) are refused
when they hold fewer distinct texts than the square root of their number (fewer than 72 distinct
texts in 5,200 rows, fewer than 10 in 100; a single row always passes), i.e. when each text is
repeated more often, on average, than there are distinct texts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from voc.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["require_free_text"]


def require_free_text(kept: pd.DataFrame, frame: pd.DataFrame, text_columns: Sequence[str], path: str) -> None:
    """Raise :class:`~voc.errors.InputError` (exit 2) when the analysed texts look like a category.

    Parameters
    ----------
    kept : DataFrame
        The clean stage's kept rows: ``row`` and ``text`` (the analysed text).
    frame : DataFrame
        The rows read: ``row`` and the *text_columns* as written in the export (for the message).
    text_columns : sequence of str
        The columns the texts were taken from.
    path : str
        The input file, named in the message.
    """
    n = len(kept)
    distinct = int(kept["text"].nunique())
    if distinct >= math.sqrt(n):
        return
    rows = frame[frame["row"].isin(kept["row"])]
    values = ", ".join(f"{c!r}: {int(rows[c].nunique()):,} distinct values" for c in text_columns if c in rows)
    segments = " ".join(f"--segment-column {c}" for c in text_columns)
    raise InputError(
        f"the text column holds {distinct:,} distinct text(s) in {n:,} analysed rows ({values}): it looks like a "
        f"category column, not free text, and voc finds themes in free text (a column needs at least "
        f"√{n:,} ≈ {math.ceil(math.sqrt(n)):,} distinct texts)",
        path=path, column=", ".join(text_columns),
        hint=f"count its values as a segment instead ({segments}) and pass a column of written notes to --text-column",
    )
