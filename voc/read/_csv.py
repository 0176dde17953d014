"""CSV/TSV text into records, each with the physical line it starts on, and broken quotes found.

A quote that opens a cell and is never closed (``"失注,`` in one cell) makes a CSV reader read every
following line into that cell, up to the next quote or the end of the file: hundreds of rows vanish
into one ragged record. voc reads the file with a strict reader and, where it fails on a record that
runs over several lines, or where such a record has another number of fields than the header, it
rejects the line that opened the quote (``broken_quote``, with its line number and column) and reads
the following lines again as records of their own. A valid CSV file is read exactly as any CSV reader
reads it (quoted line breaks, delimiters and doubled quotes included).

What voc cannot see: a stray quote that a later quote closes cleanly at the end of a cell of the same
column leaves one multi-line cell with the header's number of fields, like a note written over
several lines; the rows in between are then in that cell. :func:`parse_csv` logs the records that
span more than :data:`LONG_RECORD_LINES` lines so that such a cell can be found.
"""

from __future__ import annotations

import csv
import io
import itertools
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from voc.errors import InputError

log = logging.getLogger(__name__)

#: A kept record that spans more lines than this is named in the log (a possible swallowed block).
LONG_RECORD_LINES = 50


@dataclass
class Parsed:
    """Records of a CSV/TSV text.

    Attributes
    ----------
    records : list of list of str
        The records, in file order (a blank line is ``[]``).
    starts : list of int
        0-based index of the physical line each record starts on (line breaks: ``\\n``, ``\\r\\n``, ``\\r``).
    ends : list of int
        0-based index of the physical line after each record.
    broken : dict
        Record index → ``(column index, last line index swallowed)`` for a line whose opening quote
        broke the file; the record holds that line read on its own.
    n_lines : int
        Physical lines in the text.
    """

    records: list[list[str]] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    broken: dict[int, tuple[int, int]] = field(default_factory=dict)
    n_lines: int = 0


def sniff_delimiter(text: str) -> str:
    """``"\\t"`` if the first line (or, when it has as many of each, the first 64 KB) holds more tabs than commas."""
    first = text.split("\n", 1)[0]
    tabs, commas = first.count("\t"), first.count(",")
    if tabs == commas:  # one column (or a title line) first: let the next lines decide
        sample = text[:65536]
        tabs, commas = sample.count("\t"), sample.count(",")
    return "\t" if tabs > commas else ","


def _fields(record: list[str], width: int) -> int:
    n = len(record)
    while n > width and not record[n - 1].strip():  # Excel pads rows with empty trailing cells
        n -= 1
    return n


def _lenient(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter, strict=False), [])


def parse_csv(lines: Sequence[str], delimiter: str, width: int | None = None, check_from: int = 0) -> Parsed:
    """Read *lines* (physical lines with their line ends) into records, mending broken quotes.

    Parameters
    ----------
    lines
        ``io.StringIO(text, newline="").readlines()``: the lines a CSV reader sees.
    delimiter
        ``","`` or ``"\\t"``.
    width
        The header's number of fields, when known: a record starting at or after line *check_from*
        that runs over several lines and has another number of fields is a broken quote too.
    """
    out = Parsed(n_lines=len(lines))
    p = 0
    while p < len(lines):
        reader = csv.reader(itertools.islice(lines, p, None), delimiter=delimiter, strict=True)
        restart = len(lines)
        while True:
            start = p + reader.line_num
            try:
                record = next(reader)
            except StopIteration:
                break
            except csv.Error:
                end = p + reader.line_num  # the reader stopped on line end - 1
                if end - start <= 1:  # junk after a closing quote on one line: read it as other readers do
                    _add(out, _lenient(lines[start], delimiter), start, start + 1)
                    restart = start + 1
                else:
                    _add_broken(out, lines, delimiter, start, end - 1)
                    restart = start + 1
                break
            end = p + reader.line_num
            if width is not None and end - start > 1 and start >= check_from and _fields(record, width) != width:
                _add_broken(out, lines, delimiter, start, end - 1)
                restart = start + 1
                break
            if end - start > LONG_RECORD_LINES:
                log.warning("a record runs from line %d to line %d: if it is not one note written over %d lines, "
                            "a stray quote may have joined rows; check the quotes there", start + 1, end,
                            end - start)
            _add(out, record, start, end)
        p = restart
    return out


def _add(out: Parsed, record: list[str], start: int, end: int) -> None:
    out.records.append(record)
    out.starts.append(start)
    out.ends.append(end)


def _add_broken(out: Parsed, lines: Sequence[str], delimiter: str, start: int, last: int) -> None:
    record = _lenient(lines[start], delimiter)
    out.broken[len(out.records)] = (max(len(record) - 1, 0), last)
    _add(out, record, start, start + 1)


def broken_detail(parsed: Parsed, i: int, header: Sequence[str]) -> str:
    """The ``detail`` of a ``broken_quote`` rejection: the line, the column and what voc did."""
    col, last = parsed.broken[i]
    line = parsed.starts[i] + 1
    name = header[col] if col < len(header) else f"field {col + 1}"
    end = "the end of the file" if last + 1 >= parsed.n_lines else f"line {last + 1}"
    return (f"line {line}, column {name!r}: a quote opens this cell and is not closed before {end}; "
            f"lines {line + 1}–{last + 1} were read as rows of their own. Fix the quote in the export "
            "(a cell that starts with \" must end with \", and a \" inside it is written \"\")")


def csv_records(text: str, path: str) -> tuple[Parsed, list[str], str]:
    """Parse *text*: the records, the physical lines and the delimiter; an error for an empty file."""
    delimiter = sniff_delimiter(text)
    lines = io.StringIO(text, newline="").readlines()
    parsed = parse_csv(lines, delimiter)
    if not parsed.records:
        raise InputError("the file is empty (no header row)", path=path, hint="export again with a header row")
    return parsed, lines, delimiter
