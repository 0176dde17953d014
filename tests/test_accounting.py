"""Nothing lost: for every export, read = kept + rejected, each rejection with a row and a reason.

Property-based: hypothesis writes ≥ 1,000 malformed exports (ragged rows, blank lines, duplicate and
blank headers, quotes, newlines and delimiters inside cells, control characters, emoji, full-width
symbols, non-answers, PII; UTF-8, BOM, CP932, UTF-16; comma or tab; some cut off mid-file) and
checks the accounting through :func:`voc.read.read_export` and :func:`voc.clean.clean`.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voc.clean import clean
from voc.errors import InputError
from voc.read import REJECT_REASONS, read_export

SETTINGS = settings(
    max_examples=1000,
    deadline=None,
    derandomize=True,  # the same 1,000 exports on every run: a failure is reproducible
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

PIECES = [
    "価格が高い",
    "特になし",
    "なし",
    "-",
    "N/A",
    "　",
    " ",
    "",
    "競合に決定。",
    "ｶｽﾀﾏｲｽﾞ",
    "＼",
    "￥",
    "\\",
    "🙇‍♂️",
    "😭",
    "①",
    "㈱",
    "髙﨑",
    ",",
    "\t",
    '"',
    "'",
    "\n",
    "\r\n",
    "\r",
    "\x00",
    "\x07",
    "\x1b",
    "\u200b",
    "\u202e",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "田中様 090-1234-5678",
    "tanaka@example.co.jp",
    "〒123-4567",
    "Le client",
    "客户",
    "고객",
    "=SUM(A1)",
    "a" * 300,
]
cell = st.lists(st.sampled_from(PIECES) | st.text(max_size=6), max_size=3).map("".join)
header_name = st.sampled_from(["deal_id", "lost_reason", "call_note", "備考", "備考", "", " 担当 ", "a,b", 'q"'])


@st.composite
def exports(draw):
    """(bytes, suffix, text column, expected data rows or None when the file was damaged on purpose)."""
    header = draw(st.lists(header_name, min_size=1, max_size=5))
    text_col = draw(st.sampled_from(["lost_reason", "call_note"]))
    if draw(st.booleans()) or text_col not in [h.strip() for h in header]:
        header.insert(draw(st.integers(0, len(header))), text_col)
    width = len(header)
    rows = draw(
        st.lists(
            st.one_of(
                st.lists(cell, min_size=width, max_size=width),  # well-formed
                st.lists(cell, max_size=width + 3),  # ragged, or blank ([])
            ),
            max_size=12,
        )
    )
    delimiter = draw(st.sampled_from([",", "\t"]))
    buf = io.StringIO(newline="")
    # "\r\n": Python's writer leaves a lone "\r" unquoted under a "\n" terminator, which every reader
    # (Excel too) then reads as a line break; that file would be ambiguous, not hostile.
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n", quoting=quoting)
    writer.writerow(header)
    writer.writerows(rows)
    text = buf.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp932"]))
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    damaged = draw(st.integers(0, 9)) == 0
    if damaged:  # cut anywhere, even inside a quoted cell or a multi-byte character
        data = data[: draw(st.integers(0, len(data)))]
    clean_header = all(not set(h) & {",", "\t", '"', "\n", "\r"} for h in header)
    # With a one-column header, the delimiter is a guess from the data; the count is checked elsewhere.
    # A ragged row whose quoted cell holds a line break cannot be told from a stray quote that
    # swallowed lines (voc.read._csv): it is read as a broken quote and its lines one by one.
    swallow_like = any(len(r) != width and any(set(c) & {"\n", "\r"} for c in r) for r in rows)
    expected = len(rows) if clean_header and width > 1 and not damaged and not swallow_like else None
    return data, draw(st.sampled_from([".csv", ".tsv", ".txt"])), text_col, expected


def check_accounting(data: bytes, suffix: str, text_col: str, expected: int | None) -> None:
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / f"export{suffix}"
        p.write_bytes(data)
        try:
            export = read_export(p, text_columns=[text_col])
        except InputError as exc:
            assert str(p) in str(exc)  # an explained error: it names the file
            return
    n = export.n_read
    assert n == len(export.frame) + len(export.rejected)
    if expected is not None:
        assert n == expected
    assert sorted(export.frame["row"].tolist() + export.rejected["row"].tolist()) == list(range(n))
    kept, rejected = clean(export.frame, [text_col])
    assert len(kept) + len(rejected) == len(export.frame)
    all_rows = kept["row"].tolist() + rejected["row"].tolist() + export.rejected["row"].tolist()
    assert sorted(all_rows) == list(range(n))
    reasons = set(rejected["reason"]) | set(export.rejected["reason"])
    assert reasons <= set(REJECT_REASONS)
    assert all(isinstance(t, str) and t for t in kept["text"])


@SETTINGS
@given(exports())
def test_generated_exports_account_for_every_row(export) -> None:
    check_accounting(*export)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_are_an_explained_error_or_accounted(data: bytes) -> None:
    check_accounting(b"deal_id,lost_reason\n" + data, ".csv", "lost_reason", None)


def test_a_known_export_gives_known_counts(tmp_path: Path) -> None:
    p = tmp_path / "known.csv"
    p.write_text(
        'deal_id,lost_reason\nD-1,高い\nD-2,特になし\nD-3\n\nD-5,\nD-6,"複数\n行"\nD-7,a,b\n', encoding="utf-8"
    )
    export = read_export(p, text_columns=["lost_reason"])
    kept, rejected = clean(export.frame, ["lost_reason"])
    assert export.n_read == 7
    assert kept["row"].tolist() == [0, 5]
    got = {**dict(zip(export.rejected["row"], export.rejected["reason"], strict=True))}
    got.update(dict(zip(rejected["row"], rejected["reason"], strict=True)))
    assert got == {1: "non_answer", 2: "ragged_row", 3: "empty_text", 4: "empty_text", 6: "ragged_row"}
