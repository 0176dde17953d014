"""Read a CRM export into a DataFrame, map its columns and account for every row.

Only this package, :mod:`voc.history.store` and :mod:`voc.report` touch files.

Every data row of the file is either in :attr:`Export.frame` or in :attr:`Export.rejected` (with a
reason from :data:`REJECT_REASONS`), so ``n_read == len(frame) + len(rejected)`` always holds.

Files: ``_dates`` (the one date parser), ``_encoding`` (which codec), ``_csv`` (CSV/TSV records, broken quotes mended), ``_xlsx`` (the
zip-bomb bounds, one sheet's records), ``_layout`` (header row, column names, report footer),
``_export`` (CSV/TSV/XLSX/Parquet into an :class:`Export`), ``_window`` (the ``--since`` / ``--until`` window,
:func:`filter_window`), and the public :mod:`voc.read.outcomes` (the outcome column's values as won, lost
or open; :mod:`voc.insights` reads them with it too).
"""

from __future__ import annotations

from voc.read._dates import DateSummary, date_summary, parse_dates
from voc.read._encoding import detect_encoding
from voc.read._export import DEFAULT_MAX_INPUT_MB, REJECT_REASONS, Export, read_export, read_table
from voc.read._layout import HEADER_SCAN_ROWS
from voc.read._numbers import parse_number, typed_columns
from voc.read._window import filter_window

__all__ = [
    "parse_number",
    "typed_columns",
    "Export",
    "read_export",
    "read_table",
    "detect_encoding",
    "REJECT_REASONS",
    "DEFAULT_MAX_INPUT_MB",
    "HEADER_SCAN_ROWS",
    "parse_dates",
    "date_summary",
    "DateSummary",
    "filter_window",
]
