"""The one CSV writer of voc: ``assignments.csv``, ``rejected.csv``, ``themes.csv``, ``subthemes.csv``,
``voc evaluate --out`` and ``voc history --format csv`` all go through :func:`csv_text`.

What it guarantees, for every cell, header cells (column names come from the export) included:

- A cell holding a carriage return or a line feed is quoted, so that a CSV reader keeps it in one
  record (Python's ``csv`` quotes only the characters of its own line terminator, ``\\n``).
- No line of the file starts with a spreadsheet formula: a cell whose text starts with ``= + - @``,
  a tab or a line break, also after leading spaces (full-width ``　`` too) or written full-width
  (``＝ ＋ － ＠``), gets a leading ``'``, and so does every line inside a cell that would start with
  one, since a program that splits the file on line breaks sees it as the start of a row
  (``"A\\r=cmd|' /C calc'!A0"`` is written ``"A\\r'=cmd|' /C calc'!A0"``). A cell that is a
  number such as ``-1`` is left alone.
- Lines end with ``\\n``. Files (:func:`csv_bytes`) are UTF-8 with a byte-order mark, without which
  Japanese Excel reads them as Shift_JIS and garbles them; ``voc history --format csv`` prints
  :func:`csv_text` without one, since it goes to a pipe where a mark would end up inside the data.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["csv_bytes", "csv_text", "defuse_cell"]

_LEAD = "=+\\-@＝＋－＠"
#: Cells that need a look: a formula sign at the start or at the start of a line inside.
_RISKY = re.compile(rf"^[ \t\u3000]*[{_LEAD}\t\r\n]|[\r\n][ \t\u3000]*[{_LEAD}\t]")
_LINE_RISKY = re.compile(rf"[ \t\u3000]*[{_LEAD}\t]")
_BREAKS = re.compile(r"(\r\n|\r|\n)")
_NUMBER = re.compile(r"^[+-]?\d[\d,]*(?:\.\d+)?$")


def defuse_cell(value: Any) -> Any:
    """*value* with a ``'`` before every line of it that a spreadsheet would read as a formula;
    anything that is not a string is returned as it is."""
    if not isinstance(value, str) or not _RISKY.search(value):
        return value
    parts = _BREAKS.split(value)  # text, break, text, break, …, text
    for k in range(0, len(parts), 2):
        line = parts[k]
        starts_with_break = k == 0 and line == "" and len(parts) > 1
        # a number is left alone only as the whole cell: a line inside runs on into the next cells
        number = len(parts) == 1 and _NUMBER.match(line.strip())
        if starts_with_break or (_LINE_RISKY.match(line) and not number):
            parts[k] = "'" + line
    return "".join(parts)


def csv_text(frame: pd.DataFrame) -> str:
    """*frame* as CSV text (no index, ``\\n`` line ends, no byte-order mark), cells and column
    names passed through :func:`defuse_cell` and line breaks inside cells quoted."""
    import pandas as pd

    out = frame.copy(deep=False)
    out.columns = [defuse_cell(c) for c in frame.columns]
    for i in range(out.shape[1]):
        col = out.iloc[:, i]
        if isinstance(col.dtype, pd.CategoricalDtype):
            col = col.astype(object)
        if col.dtype == object or pd.api.types.is_string_dtype(col):
            out.isetitem(i, _defused(col))
    # with "\r\n" as terminator, the csv module quotes every cell holding "\r" or "\n"; the
    # terminators (always outside quotes, where no other line break can be) then become "\n"
    text = out.to_csv(index=False, lineterminator="\r\n")
    parts = text.split('"')
    parts[::2] = [p.replace("\r\n", "\n") for p in parts[::2]]
    return '"'.join(parts)


def _defused(col: pd.Series) -> pd.Series:
    """:func:`defuse_cell` of each cell of *col*, called once per distinct value (a label column
    of 500,000 lines holds a few hundred) and only where a cell needs a look."""
    try:
        distinct = set(col.tolist())
    except TypeError:  # unhashable cells (lists): one call each
        return col.map(defuse_cell, na_action="ignore")
    risky = {v for v in distinct if isinstance(v, str) and _RISKY.search(v)}
    if not risky:
        return col
    fixed = {v: defuse_cell(v) for v in risky}
    return col.map(lambda v: fixed.get(v, v) if isinstance(v, str) else v)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """:func:`csv_text` encoded as UTF-8 with a byte-order mark, so Excel reads Japanese right."""
    return csv_text(frame).encode("utf-8-sig")
