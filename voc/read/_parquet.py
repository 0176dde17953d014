"""Parquet cells as text: lists of strings joined, nested values (structs, maps, nested lists) rejected.

Arrow reads a ``list<string>`` cell as a NumPy array and a struct as a dict; ``str()`` of them is a
Python repr (``"['価格' '追加メモ']"``) that voc would otherwise analyse as a note. Here a list of
scalars becomes its elements joined by a line break (empty and null elements left out); any other
nested value is a ``nested_value`` rejection of its row when its column is one the run needs, and
its JSON text in any other column (which is shown, never analysed).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

_SCALARS = (str, int, float, bool)


def _is_nested(value: Any) -> bool:
    return isinstance(value, list | tuple | dict | set) or type(value).__name__ == "ndarray"


def _joined(value: Any) -> str | None:
    """A list of scalars as text (elements joined by a line break), or None if it holds nested values."""
    if isinstance(value, dict):
        return None
    items = list(value)
    if any(_is_nested(v) for v in items):
        return None
    parts = [str(v) for v in items if v is not None and not (isinstance(v, float) and v != v) and str(v).strip()]
    if not all(isinstance(v, _SCALARS) or v is None for v in items) and not parts:
        return None
    return "\n".join(parts)


def _json(value: Any) -> str:
    def plain(v: Any) -> Any:
        if type(v).__name__ == "ndarray":
            return [plain(x) for x in v.tolist()]
        if isinstance(v, dict):
            return {str(k): plain(x) for k, x in v.items()}
        if isinstance(v, list | tuple | set):
            return [plain(x) for x in v]
        return v

    return json.dumps(plain(value), ensure_ascii=False, default=str)


def parquet_frame(raw: pd.DataFrame, needed: Sequence[str]) -> tuple[pd.DataFrame, list[tuple[int, str, str]]]:
    """Every column of *raw* as ``str`` (missing ``""``) and the rows rejected for a nested value.

    Needs nothing but the columns (already deduplicated); returns them with ``row`` first, and
    ``(row, "nested_value", detail)`` for each row whose needed column holds a struct, map or nested list.
    """
    import pandas as pd

    frame = pd.DataFrame(index=raw.index)
    bad: dict[int, str] = {}
    for col in raw.columns:
        values = raw[col]
        if values.dtype == object and values.map(_is_nested).any():
            out = []
            for i, v in enumerate(values.tolist()):
                if not _is_nested(v):
                    out.append("" if v is None or (isinstance(v, float) and v != v) else str(v))
                    continue
                text = _joined(v)
                if text is None:
                    if col in needed and i not in bad:
                        bad[i] = (f"row {i}, column {col!r}: a nested value ({_json(v)[:60]}) is not text; "
                                  "flatten the column before exporting (one value per cell)")
                    text = _json(v)
                out.append(text)
            frame[col] = pd.Series(out, index=raw.index, dtype=object)
        else:
            frame[col] = values.astype("string").fillna("").astype(str)
    frame.insert(0, "row", range(len(frame)))
    rejected = [(i, "nested_value", detail) for i, detail in sorted(bad.items())]
    if bad:
        frame = frame[~frame["row"].isin(list(bad))]
    return frame, rejected
