"""Read a CRM export into a DataFrame, map its columns and account for every row.

Only this module, :mod:`voc.history.store` and :mod:`voc.report` touch files.

Every data row of the file is either in :attr:`Export.frame` or in :attr:`Export.rejected` (with a
reason from :data:`REJECT_REASONS`), so ``n_read == len(frame) + len(rejected)`` always holds.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import hashlib
import io
import logging
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from voc.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Export", "read_export", "detect_encoding", "REJECT_REASONS", "DEFAULT_MAX_INPUT_MB"]

log = logging.getLogger(__name__)

#: Why a row can be rejected, with the wording used in ``rejected.csv`` and ``run.json``.
REJECT_REASONS: dict[str, str] = {
    "ragged_row": "the row has a different number of fields than the header",
    "empty_text": "all text columns are empty",
    "non_answer": "the text is a non-answer such as 特になし, なし or -",
    "outside_window": "the row's date is outside the configured since/until window (or not a date)",
}

#: Default limit on the size of an input file (``[input] max_input_mb``).
DEFAULT_MAX_INPUT_MB = 500.0

#: Codecs tried first by the detector: voc reads Japanese exports, and on short texts an
#: unrestricted detector often prefers Big5 or GB18030 for CP932 bytes.
_JAPANESE_CODECS = ["cp932", "euc_jp", "iso2022_jp", "utf_16", "utf_16_le", "utf_16_be", "utf_8"]
_SAMPLE_BYTES = 1_000_000
_NAMES = {"shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "utf_8": "utf-8"}


@dataclass
class Export:
    """A read export.

    Attributes
    ----------
    frame : DataFrame
        One row per accepted data row. Columns: ``row`` (0-based index of the data row in the file,
        header excluded) and every column of the file as ``str`` (missing cells are ``""``).
    rejected : DataFrame
        Columns ``row``, ``reason`` (a key of :data:`REJECT_REASONS`) and ``detail``.
    encoding : str
        The codec used (``"xlsx"`` / ``"parquet"`` for those formats).
    n_read : int
        Data rows in the file: ``len(frame) + len(rejected)``.
    """

    path: str
    frame: pd.DataFrame
    rejected: pd.DataFrame
    encoding: str
    checksum: str
    n_read: int
    columns: list[str] = field(default_factory=list)
    sheet: str | None = None


def _checksum(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def detect_encoding(data: bytes) -> str:
    """Name the codec of *data*: a BOM wins, then strict UTF-8, then charset-normalizer.

    charset-normalizer is asked first among Japanese codecs (CP932, EUC-JP, ISO-2022-JP, UTF-16),
    then among all codecs. Shift_JIS is reported as ``cp932``, its superset that Excel writes.
    When the detector has no answer, BOM-less UTF-16 is recognised by its NUL bytes; otherwise the
    answer is ``cp932`` (and the decoder then says where it fails).
    """
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    sample = data
    if len(data) > _SAMPLE_BYTES:  # cut at a line end so no multi-byte character is split
        cut = data.rfind(b"\n", 0, _SAMPLE_BYTES)
        sample = data[: cut + 1] if cut > 0 else data[:_SAMPLE_BYTES]
    for isolation in (_JAPANESE_CODECS, None):
        best = from_bytes(sample, cp_isolation=isolation).best()
        if best is not None and best.encoding:
            return _NAMES.get(best.encoding.lower(), best.encoding)
    # No answer, which happens for BOM-less UTF-16 with emoji or rare symbols: ASCII delimiters and
    # digits then leave a NUL byte in every other position.
    half = max(1, len(sample) // 2)
    for codec, zeros in (("utf_16_le", sample[1::2]), ("utf_16_be", sample[0::2])):
        if zeros.count(0) > 0.3 * half:
            try:
                data.decode(codec)
                return codec
            except UnicodeDecodeError:
                pass
    return "cp932"


def _decode(data: bytes, encoding: str, path: str, detected: bool) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        how = "detected" if detected else "given"
        raise InputError(
            f"cannot decode the bytes at line {line} with the {how} encoding {encoding} ({exc.reason})",
            path=path,
            hint="save the export as UTF-8, or name its encoding: --encoding cp932 (or utf-8, utf-16, "
            'euc_jp), encoding = "cp932" in the [input] section of the config',
        ) from None
    except LookupError:
        raise InputError(
            f"unknown encoding {encoding!r}",
            path=path,
            hint="use a Python codec name such as utf-8, utf-8-sig, cp932, utf-16, euc_jp, or 'auto'",
        ) from None


def _dedupe(names: list[str]) -> list[str]:
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
        if new != name:
            log.warning("duplicate column %r renamed to %r", name, new)
        seen.add(new)
        out.append(new)
    return out


def _split_records(text: str, path: str) -> tuple[list[str], list[tuple[int, list[str]]], list[tuple[int, str, str]]]:
    first = text.split("\n", 1)[0]
    tabs, commas = first.count("\t"), first.count(",")
    if tabs == commas:  # one column in the header: let the first data lines decide
        sample = text[:65536]
        tabs, commas = sample.count("\t"), sample.count(",")
    delimiter = "\t" if tabs > commas else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(
            "the file is empty (no header row)", path=path, hint="export again with a header row"
        ) from None
    except csv.Error as exc:
        raise InputError(f"cannot parse the header row: {exc}", path=path) from None
    header = _dedupe(header)
    width = len(header)
    rows: list[tuple[int, list[str]]] = []
    rejected: list[tuple[int, str, str]] = []
    i = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # pragma: no cover - the non-strict reader accepts all input
            rejected.append((i, "ragged_row", f"unparseable: {exc}"))
            i += 1
            continue
        if len(record) > width and not any(c.strip() for c in record[width:]):
            record = record[:width]  # Excel pads rows with empty trailing cells
        if len(record) == width:
            rows.append((i, record))
        elif not any(cell.strip() for cell in record):
            # a blank line (csv yields []) is still a data row of the file: account for it
            rejected.append((i, "empty_text", "blank line"))
        else:
            rejected.append((i, "ragged_row", f"{len(record)} fields, header has {width}"))
        i += 1
    return header, rows, rejected


def _key(name: str) -> str:
    return unicodedata.normalize("NFKC", name).casefold().replace(" ", "").replace("_", "")


def _closest(name: str, columns: Sequence[str]) -> str | None:
    """The column most like *name* (case, width and ``_``/space insensitive), or None."""
    by_key = {_key(c): c for c in columns}
    if _key(name) in by_key:
        return by_key[_key(name)]
    match = difflib.get_close_matches(_key(name), list(by_key), n=1, cutoff=0.4)
    return by_key[match[0]] if match else None


def _missing_column(col: str, header: Sequence[str], path: str, where: str = "") -> InputError:
    near = _closest(col, header)
    guess = f" The closest is {near!r}." if near else ""
    return InputError(
        f"no column {col!r}{where}.{guess} The file has: {', '.join(repr(h) for h in header)}",
        path=path,
        column=col,
        hint="the column may have been renamed in this export; map it with --text-column / "
        "--id-column or the [input] section of the config",
    )


def _read_xlsx(data: bytes, sheet: str | int, needed: Sequence[str], path: str) -> tuple[pd.DataFrame, str]:
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
    frames = {}
    for n in names:
        raw = pd.read_excel(book, sheet_name=n, dtype=str, header=0)
        raw.columns = _dedupe([str(c) for c in raw.columns])
        frames[n] = raw
    raw = frames[name]
    missing = [c for c in needed if c not in raw.columns]
    if missing:
        others = [n for n, f in frames.items() if n != name and all(c in f.columns for c in needed)]
        if others:
            raise InputError(
                f"sheet {name!r} has no column {missing[0]!r}, but sheet {others[0]!r} has every needed column",
                path=path,
                hint=f'read that sheet: sheet = "{others[0]}" in the [input] section of the config',
            )
        raise _missing_column(missing[0], list(raw.columns), path, f" in sheet {name!r}")
    return raw.fillna("").astype(str), name


def read_export(
    path: str | Path,
    *,
    text_columns: Sequence[str],
    required_columns: Sequence[str] = (),
    encoding: str = "auto",
    sheet: str | int = 0,
    max_input_mb: float | None = DEFAULT_MAX_INPUT_MB,
) -> Export:
    """Read a CSV, TSV, XLSX or Parquet export.

    Parameters
    ----------
    path
        The export. CSV/TSV may be UTF-8 (with or without BOM), CP932/Shift_JIS, EUC-JP or UTF-16
        (Excel's "Unicode text", tab-separated); the encoding is detected (:func:`detect_encoding`)
        unless *encoding* names one. Quoted newlines, cells of several MB, control characters and
        any Unicode are read as they are; rows with a wrong number of fields are rejected as
        ``ragged_row`` and blank lines as ``empty_text``.
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
    max_input_mb
        Refuse larger files with a clear error instead of running out of memory (None: no limit).

    Returns
    -------
    Export
        See :class:`Export`. ``n_read == len(frame) + len(rejected)`` always holds.
    """
    import pandas as pd

    csv.field_size_limit(2**31 - 1)  # cells of several MB occur in real exports
    p = Path(path)
    spath = str(path)
    if not text_columns:
        raise InputError("no text column given", path=spath, hint="pass --text-column COL (may repeat)")
    try:
        size = p.stat().st_size
        if max_input_mb is not None and size > max_input_mb * 1_000_000:
            raise InputError(
                f"the file has {size / 1e6:,.1f} MB, more than the limit of {max_input_mb:g} MB",
                path=spath,
                hint="raise the limit with max_input_mb = N in the [input] section of the config "
                "(voc needs about 10× the file size in memory), or split the export",
            )
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError("the file does not exist", path=spath) from None
    except IsADirectoryError:
        raise InputError("this is a directory, not an export file", path=spath) from None
    except PermissionError:
        raise InputError("the file cannot be read (permission denied)", path=spath) from None
    checksum = _checksum(data)
    suffix = p.suffix.lower()
    needed = list(dict.fromkeys([*text_columns, *required_columns]))
    rejected: list[tuple[int, str, str]] = []
    sheet_name = None
    if suffix in {".xlsx", ".xlsm"}:
        frame, sheet_name = _read_xlsx(data, sheet, needed, spath)
        header = list(frame.columns)
        frame.insert(0, "row", range(len(frame)))
        used_encoding = "xlsx"
    elif suffix == ".parquet":
        try:
            raw = pd.read_parquet(io.BytesIO(data))
        except Exception as exc:  # noqa: BLE001 - arrow errors of a damaged file
            raise InputError(f"cannot read the Parquet file: {exc}", path=spath) from None
        header = _dedupe([str(c) for c in raw.columns])
        raw.columns = header
        frame = raw.astype("string").fillna("").astype(str)
        frame.insert(0, "row", range(len(frame)))
        used_encoding = "parquet"
    else:
        auto = encoding in ("auto", "", None)
        used_encoding = detect_encoding(data) if auto else encoding
        text = _decode(data, used_encoding, spath, auto)
        if not text.strip():
            raise InputError("the file is empty", path=spath, hint="check the export step that wrote it")
        header, rows, rejected = _split_records(text, spath)
        frame = pd.DataFrame([r for _, r in rows], columns=header, dtype=str)
        frame.insert(0, "row", [i for i, _ in rows])
    n_read = len(frame) + len(rejected)
    for col in needed:
        if col not in header:
            raise _missing_column(col, header, spath)
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
    )
