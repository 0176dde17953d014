"""The one date parser: what ``voc inspect`` calls a date is what ``voc report`` reads as one.

:func:`parse_dates` is used by ``voc inspect`` (is this column a date?), the date window
(``--since`` / ``--until``) and the monthly trends, so that a date one of them reads is read by
all. It reads, after NFKC (full-width digits) and with an optional time (``9:00``, ``09:00:00``,
``9:00 AM``, ``T09:00:00Z``, ``+09:00``; the time zone is dropped: the day is the one written):

* ``2024-11-14``, ``2024/11/14``, ``2024.11.14``, ``2024年11月14日``;
* the Japanese eras: ``令和6年11月14日``, ``R6.11.14``, ``平成31年4月30日``, ``令和元年5月1日``;
* month names: ``Nov 14, 2024``, ``November 14 2024``, ``14 Nov 2024``, ``14-Nov-2024``;
* ``11/14/2024`` (month first, Salesforce's US format) or ``14/11/2024`` (day first): per column,
  day first when some value's first number is above 12.

Nothing else: a number, a month without a day or a word is not a date (a generic parser reads
``12`` or ``3月`` as some day). :func:`date_summary` counts what was not read, with examples.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["parse_dates", "date_summary", "DateSummary"]

_TIME = r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([AaPp][Mm])?)?\s*(?:Z|[+-]\d{2}:?\d{2}|JST|UTC)?$"
_YMD = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?" + _TIME)
_ERA = re.compile(r"^(令和|平成|昭和|[RHS])\s*(\d{1,2}|元)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?" + _TIME)
_MDY_NAME = re.compile(r"^(?:[A-Za-z]{3,9},?\s+)?([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})" + _TIME)
_DMY_NAME = re.compile(r"^(\d{1,2})[\s-]+([A-Za-z]{3,9})\.?[\s,-]+(\d{4})" + _TIME)
_NUMERIC = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})" + _TIME)
_ERAS = {"令和": 2018, "R": 2018, "平成": 1988, "H": 1988, "昭和": 1925, "S": 1925}
_MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}


def _month(name: str) -> int | None:
    name = name.casefold()
    if name.startswith("sept"):
        name = "sep"
    full = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
            "november", "december"}
    if len(name) > 3 and name not in full and name != "sep":
        return None
    return _MONTHS.get(name[:3])


def _time(groups: tuple[str | None, ...]) -> tuple[int, int, int] | None:
    hour, minute, second, ampm = groups
    if hour is None:
        return (0, 0, 0)
    h = int(hour)
    if ampm:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if ampm.lower() == "pm" else 0)
    return (h, int(minute or 0), int(second or 0))


def _parts(value: str, day_first: bool) -> tuple[int, int, int, tuple[int, int, int] | None] | None:
    """(year, month, day, time) of one value, or None."""
    if m := _YMD.match(value):
        return int(m[1]), int(m[2]), int(m[3]), _time(m.groups()[3:])
    if m := _ERA.match(value):
        year = 1 if m[2] == "元" else int(m[2])
        return _ERAS[m[1]] + year, int(m[3]), int(m[4]), _time(m.groups()[4:])
    if m := _MDY_NAME.match(value):
        month = _month(m[1])
        return (int(m[3]), month, int(m[2]), _time(m.groups()[3:])) if month else None
    if m := _DMY_NAME.match(value):
        month = _month(m[2])
        return (int(m[3]), month, int(m[1]), _time(m.groups()[3:])) if month else None
    if m := _NUMERIC.match(value):
        first, second = int(m[1]), int(m[2])
        month, day = (second, first) if day_first else (first, second)
        return int(m[3]), month, day, _time(m.groups()[3:])
    return None


def _normal(value: Any) -> str:
    return unicodedata.normalize("NFKC", str(value)).strip()


def parse_dates(values: Iterable[Any]) -> pd.Series:
    """Each value as a ``datetime64[ns]`` (``NaT`` when empty or not a date this module reads).

    Returns a Series on the index of *values* when it is one (a positional index otherwise).
    """
    import datetime as dt

    import pandas as pd

    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    distinct = {v: _normal(v) for v in pd.unique(series.astype(str))}
    numeric = [_NUMERIC.match(v) for v in distinct.values()]
    day_first = any(int(m[1]) > 12 for m in numeric if m) and not any(int(m[2]) > 12 for m in numeric if m)
    parsed: dict[str, Any] = {}
    for raw, value in distinct.items():
        parts = _parts(value, day_first) if value else None
        stamp = pd.NaT
        if parts is not None and parts[3] is not None and 1900 <= parts[0] <= 2200:
            try:
                stamp = pd.Timestamp(dt.datetime(parts[0], parts[1], parts[2], *parts[3]))
            except ValueError:  # 2024-02-30, 25:00
                stamp = pd.NaT
        parsed[raw] = stamp
    return pd.to_datetime(series.astype(str).map(parsed), errors="coerce")


@dataclass
class DateSummary:
    """What a date column held: ``n_dates`` read, ``n_empty``, ``n_unparsed`` (filled, not read),
    up to five ``examples`` of those, and the ``first`` and ``last`` day read (``YYYY-MM-DD``)."""

    column: str
    n_dates: int
    n_empty: int
    n_unparsed: int
    examples: list[str] = field(default_factory=list)
    first: str = ""
    last: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"column": self.column, "n_dates": self.n_dates, "n_empty": self.n_empty,
                "n_unparsed": self.n_unparsed, "examples": list(self.examples), "first": self.first,
                "last": self.last}


def date_summary(values: pd.Series, column: str, parsed: pd.Series | None = None) -> DateSummary:
    """Count the dates of *values* (:func:`parse_dates`, or *parsed* when already done)."""
    parsed = parse_dates(values) if parsed is None else parsed
    text = values.astype(str).str.strip()
    empty = text == ""
    unread = parsed.isna().to_numpy() & ~empty.to_numpy()
    examples = list(dict.fromkeys(text[unread].tolist()))[:5]
    ok = parsed.dropna()
    return DateSummary(
        column=column, n_dates=int(len(ok)), n_empty=int(empty.sum()), n_unparsed=int(unread.sum()),
        examples=[e if len(e) <= 40 else e[:39] + "…" for e in examples],
        first=ok.min().strftime("%Y-%m-%d") if len(ok) else "", last=ok.max().strftime("%Y-%m-%d") if len(ok) else "",
    )
