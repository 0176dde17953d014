"""The pipeline's glue for the read stage: outcomes, dates, the rows left.

Plain data in, plain data out; only :mod:`voc.pipeline` calls these, in its order.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from voc.config import Config
from voc.errors import InputError

if TYPE_CHECKING:
    import pandas as pd


log = logging.getLogger("voc.pipeline")

def _read(config: Config) -> tuple[Any, Any, dict[str, Any] | None, pd.DataFrame, pd.DataFrame]:
    """The read stage: the export (:func:`voc.read.read_export`), each row's outcome
    (:func:`_outcomes`), the date column's summary (:func:`_dates`), and the rows inside the
    ``since`` / ``until`` window with those outside it rejected (:func:`voc.read.filter_window`)."""
    from voc.read import filter_window, read_export

    cin = config.input
    required = [c for c in (cin.id_column, cin.date_column, cin.outcome_column) if c] + list(cin.segment_columns)
    export = read_export(cin.path, text_columns=cin.text_columns, required_columns=required, encoding=cin.encoding,
                         sheet=cin.sheet, header_row=cin.header_row, max_input_mb=cin.max_input_mb,
                         max_sheet_mb=cin.max_sheet_mb, max_cell_mb=cin.max_cell_mb)
    outcomes = _outcomes(export, config)
    dates = _dates(export, cin.date_column)
    in_window, rejected_window = filter_window(export.frame, cin.date_column, cin.since, cin.until, path=export.path)
    return export, outcomes, dates, in_window, rejected_window


def _outcomes(export: Any, config: Config) -> Any:
    """Each read row's outcome (won / lost / open, :mod:`voc.read.outcomes`), or None without an outcome
    column; an :class:`~voc.errors.OutcomeError` (exit 2) when no value maps to won or lost."""
    from voc.read.outcomes import check_outcomes, map_outcomes

    cin = config.input
    if not cin.outcome_column:
        return None
    mapping = map_outcomes(export.frame[cin.outcome_column], cin.won_values, cin.lost_values, cin.open_values)
    check_outcomes(mapping, path=export.path, column=cin.outcome_column)
    return mapping


def _outcome_summary(outcomes: Any, in_window: pd.DataFrame, kept: pd.DataFrame, config: Config) -> dict[str, Any]:
    """``run.json``'s ``outcomes``: the values of the deals in the window, how each was read, their
    counts, and how many won / lost deals have an analysed text."""
    from voc.read.outcomes import map_outcomes, outcome_record

    cin = config.input
    assert cin.outcome_column
    mapping = map_outcomes(in_window[cin.outcome_column], cin.won_values, cin.lost_values, cin.open_values)
    return outcome_record(mapping, column=cin.outcome_column, analysed=in_window["row"].isin(kept["row"]))


def _dates(export: Any, date_column: str | None) -> dict[str, Any] | None:
    """``run.json``'s ``dates``: the date column read by :func:`voc.read.parse_dates`; a warning
    with examples when some filled values are not dates (those rows are left out of the trends)."""
    from voc.read import date_summary

    if not date_column:
        return None
    s = date_summary(export.frame[date_column], date_column)
    if s.n_unparsed:
        log.warning("%s: %d of %d values of the date column %r are not dates voc reads (e.g. %s); those rows are "
                    "left out of the monthly trends and outside any since/until window", export.path, s.n_unparsed,
                    len(export.frame), date_column, ", ".join(repr(e) for e in s.examples[:3]))
    return s.to_dict()


def _require_rows(kept: pd.DataFrame, export: Any, rejected: list[pd.DataFrame]) -> None:
    """An :class:`InputError` saying what removed every row, when no row is left to analyse."""
    import pandas as pd

    if len(kept) == 0:
        reasons = dict(sorted(pd.concat([export.rejected, *rejected])["reason"].value_counts().items()))
        hint = "check that the export has data rows and that --text-column names the free-text column"
        if reasons.get("outside_window"):
            hint = "move --since / --until into the export's dates; " + hint
        raise InputError(
            f"no row left to analyse: {export.n_read} data rows read, rejected: {reasons or 'none'}",
            path=export.path,
            hint=hint,
        )


