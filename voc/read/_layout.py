"""Where the table sits in a file: the header row, the column names and the report footer.

Report exports put a title, the filters or blank rows above the column names (Salesforce's
formatted reports, HubSpot's and kintone's Excel downloads) and totals, a confidentiality notice and
a copyright line after the data (Salesforce: ``合計`` / ``総計 (N 件のレコード)``, ``機密情報 - 社外秘``,
``Copyright (c) 2000-2024 salesforce.com, inc. All rights reserved.``). These helpers work on
*records* (a list of rows, each a list of cell strings) so that CSV, TSV and XLSX share them.
"""

from __future__ import annotations

import difflib
import logging
import re
import unicodedata
from collections.abc import Sequence

from voc.errors import InputError

log = logging.getLogger(__name__)

#: How many rows from the top of a file are searched for the header row.
HEADER_SCAN_ROWS = 20

_HEADER_HINT = (
    "if the column names are on another row of the file, say which: --header-row N "
    "(header_row = N in the [input] section of the config; N counts rows from 1)"
)
# A totals line: the word alone, or with its record count: 総計 (200 件のレコード), Grand Totals (13 records).
_TOTAL = re.compile(r"^(合計|総計|総合計|小計|grand ?totals?|sub ?totals?|totals?)\s*([(（][^)）]*[)）])?\s*[:：]?$")
# One-cell notices after the data.
_NOTICE = re.compile(r"^(機密情報|社外秘|confidential|copyright|©|\(c\))|all rights reserved|社外秘")


def _norm(cell: str) -> str:
    return unicodedata.normalize("NFKC", cell).strip().casefold()


def dedupe(names: Sequence[str], *, warn: bool = True) -> list[str]:
    """Strip header names, name blank ones ``column_N`` and suffix repeats: 備考, 備考.1, 備考.2.

    ``row`` is reserved for the data row number voc adds, so a file's own ``row`` column becomes
    ``row.1``.
    """
    seen: set[str] = {"row"}
    out = []
    for i, raw in enumerate(names):
        name = str(raw).replace("\ufeff", "").strip() or f"column_{i + 1}"
        new, k = name, 0
        while new in seen:
            k += 1
            new = f"{name}.{k}"
        if new != name and warn:
            log.warning("duplicate column %r renamed to %r", name, new)
        seen.add(new)
        out.append(new)
    return out


def _key(name: str) -> str:
    return unicodedata.normalize("NFKC", name).casefold().replace(" ", "").replace("_", "")


def closest(name: str, columns: Sequence[str]) -> str | None:
    """The column most like *name* (case, width and ``_``/space insensitive), or None."""
    by_key = {_key(c): c for c in columns}
    if _key(name) in by_key:
        return by_key[_key(name)]
    match = difflib.get_close_matches(_key(name), list(by_key), n=1, cutoff=0.4)
    return by_key[match[0]] if match else None


def missing_column(col: str, header: Sequence[str], path: str, where: str = "", hint: str = "") -> InputError:
    """The error for a configured column that the header row lacks: available columns, closest match, fix."""
    near = closest(col, header)
    guess = f" The closest is {near!r}." if near else ""
    return InputError(
        f"no column {col!r}{where}.{guess} The file has: {', '.join(repr(h) for h in header)}",
        path=path,
        column=col,
        hint=hint
        or "the column may have been renamed in this export; map it with --text-column / "
        "--id-column or the [input] section of the config; "
        + _HEADER_HINT,
    )


def _filled(record: Sequence[str]) -> int:
    return sum(1 for c in record if c.strip())


def _holding(records: Sequence[Sequence[str]], needed: Sequence[str]) -> int | None:
    for i, record in enumerate(records):
        if record and set(needed) <= set(dedupe(record, warn=False)):
            return i
    return None


def guess_header(records: Sequence[Sequence[str]]) -> int:
    """0-based index of the likely header among the first rows when no column is known.

    The first row with at least two filled cells and at least half as many as the fullest of the
    first :data:`HEADER_SCAN_ROWS` rows: a title or filter line has one cell, a blank row none.
    A one-column file: its first non-blank row.
    """
    scan = records[:HEADER_SCAN_ROWS]
    counts = [_filled(r) for r in scan]
    most = max(counts, default=0)
    if most <= 1:
        return next((i for i, n in enumerate(counts) if n), 0)
    need = max(2, (most + 1) // 2)
    return next(i for i, n in enumerate(counts) if n >= need)


def find_header(
    records: Sequence[Sequence[str]],
    needed: Sequence[str],
    header_row: int | None,
    path: str,
    where: str = "",
) -> int:
    """0-based index of the header row in *records*.

    Parameters
    ----------
    records
        Every row of the file (or sheet), from the top.
    needed
        Columns the run needs: the header is the first of the first :data:`HEADER_SCAN_ROWS` rows
        that holds them all. Empty: :func:`guess_header`.
    header_row
        1-based row number given by the user (``--header-row`` / ``header_row``): that row is the
        header, and must hold *needed*.
    where
        Added to error messages, e.g. ``" in sheet '商談'"``.
    """
    if header_row is not None:
        if isinstance(header_row, bool) or not isinstance(header_row, int) or header_row < 1:
            raise InputError(
                f"header_row must be a row number ≥ 1 (the first row of the file is 1), got {header_row!r}",
                path=path,
                hint="--header-row 3, or header_row = 3 in the [input] section of the config",
            )
        if header_row > len(records):
            raise InputError(
                f"header_row is {header_row}, but the file{where} has only {len(records)} rows",
                path=path,
                hint="leave header_row out to let voc find the row with the column names",
            )
        idx = header_row - 1
        names = dedupe(records[idx], warn=False)
        missing = [c for c in needed if c not in names]
        if missing:
            other = _holding(records[:HEADER_SCAN_ROWS], needed)
            fix = (
                f"row {other + 1} holds every needed column: set header_row = {other + 1} (--header-row "
                f"{other + 1}) or leave it out"
                if other is not None
                else "check header_row and the column names in the [input] section of the config"
            )
            raise missing_column(missing[0], names, path, f" in header row {header_row}{where}", hint=fix)
        return idx
    scan = records[:HEADER_SCAN_ROWS]
    if not needed:
        return guess_header(scan)
    found = _holding(scan, needed)
    if found is not None:
        if found:
            log.info("%s: the column names are on row %d (rows above skipped)", path, found + 1)
        return found
    guess = guess_header(scan)
    names = dedupe(scan[guess], warn=False) if scan else []
    missing = [c for c in needed if c not in names]
    raise missing_column(missing[0], names, path, f" in header row {guess + 1}{where}")


def footer_start(records: Sequence[Sequence[str]], width: int, *, positional: bool = False) -> int:
    """Index of the first report-footer row among the data rows *records*; ``len(records)`` if none.

    The footer is the trailing block of rows that are blank, one-cell rows (CSV/TSV: fewer fields
    than the header; *positional* (XLSX): the one filled cell in the first column) or totals lines
    (``合計``, ``総計 (200 件のレコード)``, ``Grand Totals (13 records)``, possibly with sums in other
    cells), beginning with its first totals line or notice (``機密情報``, ``社外秘``,
    ``Confidential``, ``Copyright``, ``©``, ``All rights reserved``) and the blank rows just above
    it. Without such a line there is no footer: a cut-off last row stays a ``ragged_row``, and a
    one-cell row before the first totals line or notice stays a data row.
    """

    def strong(record: Sequence[str]) -> bool:
        cells = [c for c in record if c.strip()]
        if not cells:
            return False
        first = _norm(cells[0])
        return bool(_TOTAL.match(first) or (len(cells) == 1 and _NOTICE.search(first)))

    k = len(records)
    while k > 0:
        record = records[k - 1]
        cells = [(j, c) for j, c in enumerate(record) if c.strip()]
        one_cell = len(cells) == 1 and (cells[0][0] == 0 if positional else len(record) < width)
        if cells and not one_cell and not strong(record):
            break
        k -= 1
    # The footer begins with its first totals line or notice (and the blank rows just above it):
    # one-cell rows before that may be data.
    first = next((j for j in range(k, len(records)) if strong(records[j])), None)
    if first is None:
        return len(records)
    while first > k and not any(c.strip() for c in records[first - 1]):
        first -= 1
    return first


def footer_detail(record: Sequence[str]) -> str:
    """The ``detail`` of a ``footer`` rejection: the row's text, shortened."""
    text = " | ".join(c.strip() for c in record if c.strip())
    if not text:
        return "blank line in the report footer"
    return "report footer: " + (text if len(text) <= 80 else text[:77] + "...")
