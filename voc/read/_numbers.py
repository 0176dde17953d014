"""Numbers in export cells: typed numeric columns for analysts (issue #26).

Exports hold every cell as text; ``ReportResult.records`` gives analysts the columns whose every
filled value is a number as pandas nullable numbers (``Int64``, ``Float64``), so that
``records["amount"].sum()`` adds amounts. What the report writes is never typed: CSVs are written
from the text as read.

A value is a number when, after NFKC (full-width digits, ￥ and ％ become ASCII) and without spaces,
it is an optional minus (``-``, ``−``, ``△``, ``▲``), an optional ``¥``, digits (commas only in
groups of three), an optional decimal part, then an optional ``円`` or ``%`` (12.5% reads 12.5).
Not numbers: ``(3)``, exponents, 万/億, and integers with a leading zero (00123, 090…: codes, phone
numbers). A column whose name says it is a code (id, no, code, zip, tel, phone, 番号, コード, 郵便,
電話) stays text whatever it holds.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["parse_number", "typed_columns"]

_NUMBER = re.compile(r"(?P<sign>[-−△▲])?¥?(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?(?:円|%)?")
_CODE_NAME = re.compile(r"(?:^|[_\s-])(?:id|no|code|zip|tel|phone|fax)(?:$|[_\s-])|番号|コード|郵便|電話", re.IGNORECASE)


def parse_number(value: str) -> int | float | None:
    """The number *value* writes (see the module docstring), or ``None`` when it is not one.

    >>> parse_number("¥1,200"), parse_number("１２３４"), parse_number("△3"), parse_number("00123")
    (1200, 1234, -3, None)
    """
    text = unicodedata.normalize("NFKC", value).replace(" ", "")
    m = _NUMBER.fullmatch(text)
    if m is None:
        return None
    digits = m["int"].replace(",", "")
    if len(digits) > 1 and digits.startswith("0") and not m["frac"]:
        return None  # a code: 00123, 090…
    sign = -1 if m["sign"] else 1
    if m["frac"]:
        return sign * float(digits + m["frac"])
    return sign * int(digits)


def typed_columns(frame: pd.DataFrame, *, exclude: Iterable[str] = ()) -> pd.DataFrame:
    """*frame* with each text column whose every filled value is a number (:func:`parse_number`)
    as ``Int64`` (``Float64`` when a value has a decimal part); blanks become ``<NA>``. Columns in
    *exclude* (ids, texts, outcome, dates, segments), code-named columns, ``row`` and columns with
    no filled value stay as they are. Returns a copy; *frame* is not changed."""
    import pandas as pd

    out = frame.copy()
    skip = set(exclude) | {"row"}
    for column in frame.columns:
        textual = frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column])
        if column in skip or _CODE_NAME.search(str(column)) or not textual:
            continue
        values = frame[column].tolist()
        parsed: list[int | float | None] = []
        ok = filled = 0
        for v in values:
            if not isinstance(v, str) or not v.strip():
                parsed.append(None)
                continue
            filled += 1
            n = parse_number(v)
            if n is None:
                break
            ok += 1
            parsed.append(n)
        if not filled or ok != filled or len(parsed) != len(values):
            continue
        floating = any(isinstance(n, float) for n in parsed)
        if not floating and any(n is not None and abs(n) >= 2**63 for n in parsed):
            continue
        out[column] = pd.array(parsed, dtype="Float64" if floating else "Int64")
    return out
