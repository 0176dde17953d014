"""Read a CRM export into a DataFrame, map its columns and account for every row.

Only this module, :mod:`voc.store` and :mod:`voc.report` touch files.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import hashlib
import io
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from voc.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Export", "read_export", "REJECT_REASONS"]

log = logging.getLogger(__name__)

#: Why a row can be rejected, with the wording used in ``rejected.csv`` and ``run.json``.
REJECT_REASONS: dict[str, str] = {
    "ragged_row": "the row has a different number of fields than the header",
    "empty_text": "all text columns are empty",
    "non_answer": "the text is a non-answer such as 特になし, なし or -",
}

csv.field_size_limit(2**31 - 1)  # cells of several MB occur in real exports


@dataclass
class Export:
    """A read export.

    Attributes
    ----------
    frame : DataFrame
        One row per accepted data row. Columns: ``row`` (0-based index of the data row in the file)
        and every column of the file as ``str`` (missing cells are ``""``).
    rejected : DataFrame
        Columns ``row``, ``reason`` (a key of :data:`REJECT_REASONS`) and ``detail``.
    """

    path: str
    frame: pd.DataFrame
    rejected: pd.DataFrame
    encoding: str
    checksum: str
    n_read: int
    columns: list[str] = field(default_factory=list)


def _checksum(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _detect_encoding(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:1_000_000]).best()
        if best is not None and best.encoding:
            enc = best.encoding.replace("_", "-")
            # charset-normalizer may name a Shift_JIS subset; CP932 is its superset that Excel writes.
            return "cp932" if enc.lower() in {"shift-jis", "shift_jis", "sjis"} else enc
    except ImportError:  # pragma: no cover - charset-normalizer is a declared dependency
        pass
    return "cp932"


def _decode(data: bytes, encoding: str, path: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"cannot decode the bytes at line {line} as {encoding} ({exc.reason})",
            path=path,
            hint="save the export as UTF-8, or pass the right encoding (--encoding cp932, "
            "encoding = \"cp932\" in the config)",
        ) from None
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}", path=path) from None


def _dedupe(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        name = name.strip()
        if name in seen:
            seen[name] += 1
            new = f"{name}.{seen[name]}"
            log.warning("duplicate column %r renamed to %r", name, new)
            out.append(new)
        else:
            seen[name] = 0
            out.append(name)
    return out


def _read_delimited(text: str, path: str) -> tuple[list[str], list[tuple[int, list[str]]], list[tuple[int, str, str]]]:
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError("the file is empty (no header row)", path=path, hint="export again with a header row") from None
    header = _dedupe(header)
    rows: list[tuple[int, list[str]]] = []
    rejected: list[tuple[int, str, str]] = []
    width = len(header)
    for i, record in enumerate(reader):
        if len(record) == width:
            rows.append((i, record))
        elif not any(cell.strip() for cell in record):
            # a blank line (csv yields []) is still a data row of the file: account for it
            rejected.append((i, "empty_text", "blank line"))
        else:
            rejected.append((i, "ragged_row", f"{len(record)} fields, header has {width}"))
    return header, rows, rejected


def _closest(name: str, columns: Sequence[str]) -> str:
    match = difflib.get_close_matches(name, list(columns), n=1, cutoff=0.4)
    return f"; did you mean {match[0]!r}?" if match else ""


def read_export(
    path: str | Path,
    *,
    text_columns: Sequence[str],
    required_columns: Sequence[str] = (),
    encoding: str = "auto",
    sheet: str | int = 0,
) -> Export:
    """Read a CSV, TSV, XLSX or Parquet export.

    Parameters
    ----------
    path
        The export. CSV/TSV may be UTF-8 (with or without BOM), CP932/Shift_JIS or UTF-16; the
        encoding is detected unless *encoding* names one.
    text_columns
        Columns that hold free text (checked to exist; :func:`voc.clean.clean` joins them).
    required_columns
        Other columns the run needs (id, date, outcome, segments). A missing one is an
        :class:`~voc.errors.InputError` that lists the available columns and the closest match.
    encoding
        ``"auto"`` or a Python codec name.
    sheet
        XLSX only: sheet name or 0-based index.

    Returns
    -------
    Export
        See :class:`Export`. ``n_read == len(frame) + len(rejected)`` always holds.
    """
    import pandas as pd

    p = Path(path)
    spath = str(path)
    if not text_columns:
        raise InputError("no text column given", path=spath, hint="pass --text-column COL (may repeat)")
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError("the file does not exist", path=spath) from None
    except IsADirectoryError:
        raise InputError("this is a directory, not an export file", path=spath) from None
    checksum = _checksum(data)
    suffix = p.suffix.lower()
    rejected: list[tuple[int, str, str]] = []
    if suffix in {".xlsx", ".xlsm"}:
        try:
            raw = pd.read_excel(io.BytesIO(data), sheet_name=sheet, dtype=str, header=0)
        except ValueError as exc:
            raise InputError(f"cannot read sheet {sheet!r}: {exc}", path=spath) from None
        header = _dedupe([str(c) for c in raw.columns])
        raw.columns = header
        frame = raw.fillna("").astype(str)
        frame.insert(0, "row", range(len(frame)))
        used_encoding = "xlsx"
    elif suffix == ".parquet":
        raw = pd.read_parquet(io.BytesIO(data))
        header = [str(c) for c in raw.columns]
        frame = raw.astype("string").fillna("").astype(str)
        frame.insert(0, "row", range(len(frame)))
        used_encoding = "parquet"
    else:
        used_encoding = _detect_encoding(data) if encoding == "auto" else encoding
        text = _decode(data, used_encoding, spath)
        if not text.strip():
            raise InputError("the file is empty", path=spath, hint="check the export step that wrote it")
        header, rows, rejected = _read_delimited(text, spath)
        frame = pd.DataFrame([r for _, r in rows], columns=header, dtype=str)
        frame.insert(0, "row", [i for i, _ in rows])
    n_read = len(frame) + len(rejected)
    for col in [*text_columns, *required_columns]:
        if col not in header:
            raise InputError(
                f"no column {col!r}{_closest(col, header)} The file has: {', '.join(header)}",
                path=spath,
                column=col,
                hint="map your columns with --text-column / the [input] section of the config",
            )
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
    )
