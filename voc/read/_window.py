"""The date window (``--since`` / ``--until``): the read stage's last step, before cleaning."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from voc.errors import ConfigError, InputError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["filter_window"]


def _parse_day(value: str, flag: str) -> Any:
    import pandas as pd

    try:
        return pd.Timestamp(str(value)).normalize()
    except (ValueError, TypeError):
        raise ConfigError(f"{flag} must be a date like 2026-08-31, got {value!r}") from None


def filter_window(
    frame: pd.DataFrame, date_column: str | None, since: str | None, until: str | None, *, path: str = ""
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep the rows whose *date_column* is within [*since*, *until*] (both inclusive, days).

    Needs ``row`` and *date_column*; dates are read by :func:`voc.read.parse_dates`. Returns the rows
    inside and a rejected frame (``row``, ``reason`` = ``outside_window``, ``detail``) for the
    others, including rows with an empty or unreadable date, so that every row stays accounted for.
    An :class:`~voc.errors.InputError` naming *path*, the window and the dates the export holds
    when no row is inside.
    """
    import pandas as pd

    from voc.read._dates import parse_dates

    if not since and not until:
        return frame, pd.DataFrame(columns=["row", "reason", "detail"])
    if not date_column:
        raise ConfigError("--since/--until need a date column: set [input] date_column in the config")
    dates = parse_dates(frame[date_column])
    inside = dates.notna()
    lo = _parse_day(since, "--since") if since else None
    hi = _parse_day(until, "--until") if until else None
    if lo is not None and hi is not None and lo > hi:
        raise ConfigError(f"--since {since} is after --until {until}")
    if lo is not None:
        inside &= dates >= lo
    if hi is not None:
        inside &= dates < hi + pd.Timedelta(days=1)
    out = frame[~inside]
    detail = [
        f"{date_column}={v!r} outside {since or '…'}〜{until or '…'}" if v else f"{date_column} is empty"
        for v in out[date_column].astype(str)
    ]
    rejected = pd.DataFrame({"row": out["row"].to_numpy(), "reason": "outside_window", "detail": detail})
    if len(frame) and not inside.any():
        raise _nothing_inside(frame[date_column], dates, date_column, since, until, path)
    return frame[inside], rejected


def _nothing_inside(values: pd.Series, dates: pd.Series, column: str, since: str | None, until: str | None,
                    path: str) -> InputError:
    from voc.read._dates import date_summary

    s = date_summary(values, column, dates)
    held = (f"the export's dates run from {s.first} to {s.last} ({s.n_dates:,} rows)" if s.n_dates
            else "no row has a date voc reads")
    other = []
    if s.n_empty:
        other.append(f"{s.n_empty:,} rows have no date")
    if s.n_unparsed:
        other.append(f"{s.n_unparsed:,} are not dates voc reads (e.g. {', '.join(repr(e) for e in s.examples[:3])})")
    return InputError(
        f"every one of the {len(values):,} rows is outside the window {since or '…'}〜{until or '…'} on column "
        f"{column!r}: {held}" + (f"; {'; '.join(other)}" if other else ""),
        path=path or None,
        column=column,
        hint="move --since / --until (since / until in the [input] section of the config) into the export's "
        "dates, or check --date-column",
    )
