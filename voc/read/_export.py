"""read_export: a CSV, TSV, XLSX or Parquet export into a DataFrame, every data row accounted for."""

from __future__ import annotations

import csv
import hashlib
import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from voc.errors import InputError
from voc.read._csv import broken_detail, csv_records, parse_csv
from voc.read._encoding import decode, detect_encoding
from voc.read._layout import dedupe, find_header, footer_detail, footer_start
from voc.read._parquet import parquet_frame
from voc.read._xlsx import DEFAULT_MAX_CELL_MB, DEFAULT_MAX_SHEET_MB, check_workbook, read_xlsx

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger(__name__)

#: Why a row can be rejected, with the wording used in ``rejected.csv`` and ``run.json``.
REJECT_REASONS: dict[str, str] = {
    "ragged_row": "the row has a different number of fields than the header",
    "broken_quote": "a quote opens a cell and is not closed where the row ends: that line is rejected and "
    "the lines after it are read as rows of their own",
    "nested_value": "a Parquet cell of a needed column holds a struct, map or nested list, not text",
    "footer": "a report footer after the data (totals, confidentiality notice, copyright line)",
    "empty_text": "all text columns are empty",
    "non_answer": "the text is a non-answer such as 特になし, なし or -",
    "no_statement": "the text has no statement with a letter or digit (only symbols or emoji; [units] unit = \"statement\")",
    "outside_window": "the row's date is outside the configured since/until window (or not a date)",
}

#: Default limit on the size of an input file (``[input] max_input_mb``).
DEFAULT_MAX_INPUT_MB = 500.0


@dataclass
class Export:
    """A read export.

    Attributes
    ----------
    frame : DataFrame
        One row per accepted data row. Columns: ``row`` (0-based index of the data row in the file,
        counted from the row after the header) and every column of the file as ``str`` (missing
        cells are ``""``).
    rejected : DataFrame
        Columns ``row``, ``reason`` (a key of :data:`REJECT_REASONS`) and ``detail``.
    encoding : str
        The codec used (``"xlsx"`` / ``"parquet"`` for those formats).
    n_read : int
        Data rows in the file: ``len(frame) + len(rejected)``. Rows above the header (a title, the
        report's filters, blank rows) are not data rows; :attr:`header_row` says how many there were.
    header_row : int
        1-based row number of the header in the file (or sheet): 1 unless rows stand above it.
        Data row ``r`` is row ``header_row + 1 + r`` of the file (when no cell above it holds a
        line break).
    """

    path: str
    frame: pd.DataFrame
    rejected: pd.DataFrame
    encoding: str
    checksum: str
    n_read: int
    columns: list[str] = field(default_factory=list)
    sheet: str | None = None
    header_row: int = 1


def _checksum(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _split_records(
    text: str, needed: Sequence[str], header_row: int | None, path: str
) -> tuple[list[str], int, list[tuple[int, list[str]]], list[tuple[int, str, str]]]:
    """The header, its 1-based row, the data rows ``(row, cells)`` and the rejected ``(row, reason, detail)``."""
    parsed, lines, delimiter = csv_records(text, path)
    h = find_header(parsed.records, needed, header_row, path)
    header = dedupe(parsed.records[h])
    width = len(header)
    check_from = parsed.ends[h]
    multi = any(e - s > 1 for s, e in zip(parsed.starts[h + 1 :], parsed.ends[h + 1 :], strict=True))
    if multi:  # a record over several lines with another number of fields: a quote swallowed lines
        parsed = parse_csv(lines, delimiter, width, check_from)
    data = parsed.records[h + 1 :]
    footer = footer_start(data, width)
    rows: list[tuple[int, list[str]]] = []
    rejected: list[tuple[int, str, str]] = []
    for i, record in enumerate(data):
        line = parsed.starts[h + 1 + i] + 1
        if h + 1 + i in parsed.broken:
            rejected.append((i, "broken_quote", broken_detail(parsed, h + 1 + i, header)))
        elif i >= footer:
            rejected.append((i, "footer", f"line {line}: {footer_detail(record)}"))
        elif len(record) > width and not any(c.strip() for c in record[width:]):
            rows.append((i, record[:width]))  # Excel pads rows with empty trailing cells
        elif len(record) == width:
            rows.append((i, record))
        elif not any(cell.strip() for cell in record):
            # a blank line (csv yields []) is still a data row of the file: account for it
            rejected.append((i, "empty_text", f"line {line}: blank line"))
        else:
            rejected.append((i, "ragged_row", f"line {line}: {len(record)} fields, header has {width}"))
    return header, h + 1, rows, rejected


def read_table(
    path: str | Path,
    *,
    required_columns: Sequence[str] = (),
    encoding: str = "auto",
    sheet: str | int = 0,
    header_row: int | None = None,
    max_input_mb: float | None = DEFAULT_MAX_INPUT_MB,
    max_sheet_mb: float | None = DEFAULT_MAX_SHEET_MB,
    max_cell_mb: float | None = DEFAULT_MAX_CELL_MB,
) -> Export:
    """Read an export without naming its text columns (what :func:`read_export` and ``voc inspect`` share).

    *required_columns* may be empty: then the header is the first row that looks like one
    (:func:`voc.read._layout.guess_header`). Other parameters as in :func:`read_export`.
    """
    import pandas as pd

    csv.field_size_limit(2**31 - 1)  # cells of several MB occur in real exports
    p = Path(path)
    spath = str(path)
    data = _read_bytes(p, spath, max_input_mb)
    checksum = _checksum(data)
    suffix = p.suffix.lower()
    needed = list(dict.fromkeys(required_columns))
    sheet_name = None
    header_at = 1
    if suffix in {".xlsx", ".xlsm"}:
        check_workbook(data, spath, max_sheet_mb, max_cell_mb)
        frame, sheet_name, header_at, rejected = read_xlsx(data, sheet, needed, header_row, spath)
        header = list(frame.columns)
        frame.insert(0, "row", range(len(frame)))
        used_encoding = "xlsx"
    elif suffix == ".parquet":
        frame, header, rejected = _read_parquet(data, needed, spath)
        used_encoding = "parquet"
    else:
        frame, header, header_at, rejected, used_encoding = _read_text(data, encoding, needed, header_row, spath)
    n_read = len(frame) + len(rejected)
    frame = frame.reset_index(drop=True)
    rej = pd.DataFrame(rejected, columns=["row", "reason", "detail"])
    log.info("read %s: %d rows (%s), %d rejected while reading", spath, n_read, used_encoding, len(rej))
    return Export(
        path=spath,
        frame=frame,
        rejected=rej,
        encoding=used_encoding,
        checksum=checksum,
        n_read=n_read,
        columns=header,
        sheet=sheet_name,
        header_row=header_at,
    )


def _read_bytes(p: Path, spath: str, max_input_mb: float | None) -> bytes:
    """The file's bytes; an :class:`~voc.errors.InputError` when it is over *max_input_mb*, missing,
    a directory or unreadable."""
    try:
        size = p.stat().st_size
        if max_input_mb is not None and size > max_input_mb * 1_000_000:
            raise InputError(
                f"the file has {size / 1e6:,.1f} MB, more than the limit of {max_input_mb:g} MB",
                path=spath,
                hint="raise the limit with max_input_mb = N in the [input] section of the config "
                "(voc needs about 10× the file size in memory), or split the export",
            )
        return p.read_bytes()
    except FileNotFoundError:
        raise InputError("the file does not exist", path=spath) from None
    except IsADirectoryError:
        raise InputError("this is a directory, not an export file", path=spath) from None
    except PermissionError:
        raise InputError("the file cannot be read (permission denied)", path=spath) from None


def _read_parquet(data: bytes, needed: list[str], spath: str) -> tuple[pd.DataFrame, list[str], list[tuple[int, str, str]]]:
    """A Parquet file's rows (with ``row``), its column names (made unique) and its rejected rows."""
    import pandas as pd

    try:
        raw = pd.read_parquet(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - arrow errors of a damaged file
        raise InputError(f"cannot read the Parquet file: {exc}", path=spath) from None
    header = dedupe([str(c) for c in raw.columns])
    raw.columns = header
    for col in needed:
        if col not in header:
            from voc.read._layout import missing_column

            raise missing_column(col, header, spath)
    frame, rejected = parquet_frame(raw.reset_index(drop=True), needed)
    return frame, header, rejected


def _read_text(
    data: bytes, encoding: str, needed: list[str], header_row: int | None, spath: str
) -> tuple[pd.DataFrame, list[str], int, list[tuple[int, str, str]], str]:
    """A CSV/TSV file's rows (with ``row``), its column names, the line of its header, its rejected
    rows and the encoding it was read with (detected when *encoding* is ``auto``)."""
    import pandas as pd

    auto = encoding in ("auto", "", None)
    used_encoding = detect_encoding(data) if auto else encoding
    text = decode(data, used_encoding, spath, auto)
    if not text.strip():
        raise InputError("the file is empty", path=spath, hint="check the export step that wrote it")
    header, header_at, rows, rejected = _split_records(text, needed, header_row, spath)
    frame = pd.DataFrame([r for _, r in rows], columns=header, dtype=str)
    frame.insert(0, "row", [i for i, _ in rows])
    return frame, header, header_at, rejected, used_encoding


def read_export(
    path: str | Path,
    *,
    text_columns: Sequence[str],
    required_columns: Sequence[str] = (),
    encoding: str = "auto",
    sheet: str | int = 0,
    header_row: int | None = None,
    max_input_mb: float | None = DEFAULT_MAX_INPUT_MB,
    max_sheet_mb: float | None = DEFAULT_MAX_SHEET_MB,
    max_cell_mb: float | None = DEFAULT_MAX_CELL_MB,
) -> Export:
    """Read a CSV, TSV, XLSX or Parquet export.

    Parameters
    ----------
    path
        The export. CSV/TSV may be UTF-8 (with or without BOM), CP932/Shift_JIS, EUC-JP or UTF-16
        (Excel's "Unicode text", tab-separated); the encoding is detected (:func:`detect_encoding`)
        unless *encoding* names one. Quoted newlines, cells of several MB, control characters and
        any Unicode are read as they are; rows with a wrong number of fields are rejected as
        ``ragged_row`` and blank lines as ``empty_text``. A report footer after the data (totals
        such as ``合計`` / ``総計 (200 件のレコード)``, ``機密情報 - 社外秘``, ``Copyright ...``, and the
        blank or one-cell rows around them) is rejected as ``footer``.
    text_columns
        Columns that hold free text (checked to exist; :func:`voc.clean.clean` joins them).
    required_columns
        Other columns the run needs (id, date, outcome, segments). A missing one is an
        :class:`~voc.errors.InputError` that lists the available columns and the closest match.
    encoding
        ``"auto"`` or a Python codec name.
    sheet
        XLSX only: sheet name or 0-based index. If that sheet lacks a needed column and another
        sheet has them all, the error names that sheet.
    header_row
        CSV, TSV and XLSX: 1-based row number of the header in the file (Excel's row number; in a
        CSV the record number, which is the line number unless a cell above holds a line break).
        ``None`` (default): the first of the first 20 rows that holds every text and required
        column, so a title, the report's filters or blank rows above the header are skipped.
    max_input_mb
        Refuse larger files with a clear error instead of running out of memory (None: no limit).
    max_sheet_mb, max_cell_mb
        XLSX only: refuse a workbook that unzips to more MB, or holds a cell of more MB (a zip bomb;
        :func:`voc.read._xlsx.check_workbook`). None: no limit.

    Returns
    -------
    Export
        See :class:`Export`. ``n_read == len(frame) + len(rejected)`` always holds.
    """
    if not text_columns:
        raise InputError("no text column given", path=str(path), hint="pass --text-column COL (may repeat)")
    return read_table(
        path,
        required_columns=[*text_columns, *required_columns],
        encoding=encoding,
        sheet=sheet,
        header_row=header_row,
        max_input_mb=max_input_mb,
        max_sheet_mb=max_sheet_mb,
        max_cell_mb=max_cell_mb,
    )
