"""XLSX: bound what a workbook may expand to, then read one sheet into records.

An XLSX file is a zip of XML files. A few MB can unzip to GBs (a "zip bomb": one sheet of 2 GB, or
one cell of 2 GB in the shared strings), which openpyxl would then parse for minutes and GBs of
memory. Before opening the workbook voc checks (:func:`check_workbook`):

* the unzipped size of all its members against ``max_sheet_mb`` (the sizes the zip declares: Python's
  zipfile never unzips a member past its declared size);
* the longest text in the sheets and the shared strings (a run of characters without ``<``) against
  ``max_cell_mb``: Excel itself holds at most 32,767 characters in a cell.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from typing import TYPE_CHECKING

from voc.errors import InputError
from voc.read._layout import dedupe, find_header, footer_detail, footer_start

if TYPE_CHECKING:
    import pandas as pd

#: Default limit on the unzipped size of a workbook (``[input] max_sheet_mb``).
DEFAULT_MAX_SHEET_MB = 1000.0
#: Default limit on the size of one cell of a workbook (``[input] max_cell_mb``).
DEFAULT_MAX_CELL_MB = 10.0

_FOOTER_TAIL = 256  # rows from the end searched for the report footer (doubled while all match)
_CHUNK = 1 << 20
_HINT = "raise it with {key} = N in the [input] section of the config (--{flag} N) if you trust the file and have the memory"


def _longest_text(stream: io.BufferedIOBase, limit: int) -> int:
    """The longest run of bytes without ``<`` in *stream*, stopping early once it passes *limit*."""
    longest = run = 0
    while chunk := stream.read(_CHUNK):
        parts = chunk.split(b"<")
        if len(parts) == 1:
            run += len(chunk)
        else:
            longest = max(longest, run + len(parts[0]), *(len(x) for x in parts[1:-1]))
            run = len(parts[-1])
        if max(longest, run) > limit:
            return max(longest, run)
    return max(longest, run)


def check_workbook(data: bytes, path: str, max_sheet_mb: float | None, max_cell_mb: float | None) -> None:
    """Raise an :class:`InputError` when the workbook unzips to more than *max_sheet_mb* or holds a
    cell of more than *max_cell_mb* (None: no limit). A file that is not a zip is left to openpyxl."""
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError):
        return
    with book:
        infos = book.infolist()
        total = sum(i.file_size for i in infos)
        if max_sheet_mb is not None and total > max_sheet_mb * 1_000_000:
            big = max(infos, key=lambda i: i.file_size)
            raise InputError(
                f"the workbook unzips to {total / 1e6:,.1f} MB ({big.filename}: {big.file_size / 1e6:,.1f} MB) from "
                f"{len(data) / 1e6:,.1f} MB, more than the limit of {max_sheet_mb:g} MB",
                path=path,
                hint=_HINT.format(key="max_sheet_mb", flag="max-sheet-mb")
                + "; a workbook that unzips to 100× its size or more is likely a zip bomb",
            )
        if max_cell_mb is None:
            return
        limit = int(max_cell_mb * 1_000_000)
        for info in infos:
            name = info.filename
            if not (name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml") or info.file_size <= limit:
                continue
            try:
                with book.open(info) as stream:
                    longest = _longest_text(stream, limit)
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
                raise InputError(f"cannot unzip {name} of the workbook: {exc}", path=path) from None
            if longest > limit:
                where = "the shared strings" if name == "xl/sharedStrings.xml" else name
                raise InputError(
                    f"{where} hold a cell (or XML text) of more than {max_cell_mb:g} MB, the limit for one cell "
                    "(Excel holds at most 32,767 characters in a cell)",
                    path=path,
                    hint=_HINT.format(key="max_cell_mb", flag="max-cell-mb"),
                )


def _sheet_records(book: object, name: str, path: str) -> pd.DataFrame:
    import pandas as pd

    try:
        return pd.read_excel(book, sheet_name=name, dtype=str, header=None).fillna("").astype(str)
    except Exception as exc:  # noqa: BLE001 - XML and index errors of a damaged sheet
        raise InputError(f"cannot read sheet {name!r}: {type(exc).__name__}: {exc}", path=path,
                         hint="open the file in Excel and save it again, or export it as CSV") from None


def read_xlsx(
    data: bytes, sheet: str | int, needed: Sequence[str], header_row: int | None, path: str
) -> tuple[pd.DataFrame, str, int, list[tuple[int, str, str]]]:
    """One sheet: its rows below the header (as ``str``), the sheet's name, the header's 1-based row and
    the footer rows rejected. Call :func:`check_workbook` first."""
    import pandas as pd

    try:
        book = pd.ExcelFile(io.BytesIO(data), engine="openpyxl")
    except Exception as exc:  # noqa: BLE001 - zip/xml errors of a damaged workbook
        raise InputError(f"cannot open the workbook: {type(exc).__name__}: {exc}", path=path) from None
    names = [str(n) for n in book.sheet_names]
    if isinstance(sheet, int) and not 0 <= sheet < len(names):
        raise InputError(f"sheet index {sheet} does not exist; sheets: {names}", path=path, hint="--sheet NAME")
    name = names[sheet] if isinstance(sheet, int) else str(sheet)
    if name not in names:
        raise InputError(f"no sheet {name!r}; sheets: {names}", path=path, hint="set sheet = NAME in [input]")
    raw = _sheet_records(book, name, path)
    head = raw.iloc[: max(header_row or 0, 20)].to_numpy().tolist()
    if raw.shape[0] == 0:
        head = []
    try:
        if not head:
            raise InputError(f"sheet {name!r} is empty (no header row)", path=path, hint="--sheet NAME")
        h = find_header(head, needed, header_row, path, f" of sheet {name!r}")
    except InputError as first:
        for other in names:
            if other == name:
                continue
            other_head = _sheet_records(book, other, path).iloc[:20].to_numpy().tolist()
            try:
                find_header(other_head, needed, None, path)
            except InputError:
                continue
            raise InputError(
                f"sheet {name!r} has no column {first.column or 'needed'!r}, but sheet {other!r} has every needed column",
                path=path,
                column=first.column,
                hint=f'read that sheet: --sheet "{other}", or sheet = "{other}" in the [input] section of the config',
            ) from None
        raise
    header = dedupe(head[h])
    body = raw.iloc[h + 1 :]
    n = len(body)
    tail = _FOOTER_TAIL
    while True:
        start = max(0, n - tail)
        cut = start + footer_start(body.iloc[start:].to_numpy().tolist(), len(header), positional=True)
        if cut > start or start == 0:
            break
        tail *= 2
    rejected = [(i, "footer", footer_detail(body.iloc[i].tolist())) for i in range(cut, n)]
    frame = body.iloc[:cut].copy()
    frame.columns = header
    return frame.reset_index(drop=True), name, h + 1, rejected


