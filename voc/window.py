"""The date window (``--since`` / ``--until``): the read stage's last step, before cleaning."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from voc.errors import ConfigError

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
    frame: pd.DataFrame, date_column: str | None, since: str | None, until: str | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keep the rows whose *date_column* is within [*since*, *until*] (both inclusive, days).

    Needs ``row`` and *date_column*. Returns the rows inside and a rejected frame (``row``,
    ``reason`` = ``outside_window``, ``detail``) for the others, including rows with an empty or
    unreadable date, so that every row stays accounted for.
    """
    import pandas as pd

    if not since and not until:
        return frame, pd.DataFrame(columns=["row", "reason", "detail"])
    if not date_column:
        raise ConfigError("--since/--until need a date column: set [input] date_column in the config")
    dates = pd.to_datetime(frame[date_column].replace("", None), errors="coerce", format="mixed")
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
    return frame[inside], rejected
