"""Write seeded hostile exports: what users' files did to voc's read stage (issue #28).

    python tests/data/make_hostile.py OUT_DIR [--n 1000] [--seed 0]

Tests call :func:`write_hostile` into ``tmp_path``; nothing generated is committed. Kinds, in turn:

* ``quote``: CSV with stray opening quotes (``"失注`` in a cell, in the text or the id column) among
  properly quoted cells with line breaks, commas and doubled quotes;
* ``crlf``: CSV whose quoted ids and notes hold ``\\r\\n``, ``\\n`` and ``\\r``; LF or CRLF line ends;
* ``nul``: CSV with NUL and other control bytes in ids and notes;
* ``encoding``: the above in CP932 or UTF-16, some with a damaged byte (an error naming its line);
* ``parquet``: list<string>, list<struct> and struct columns, NUL and line breaks in ids;
* ``xlsx``: a workbook with line breaks in ids and a report footer, or a small zip bomb (a sheet
  that unzips past the limit the spec names, or one huge shared string);
* ``dates``: dates in every written form and some that are none, read with a since/until window
  (sometimes after the last date: an error naming the window).

Each :class:`HostileSpec` says how many data rows the file holds (every one must be read: kept or
rejected) or which error it must raise.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

KINDS = ("quote", "crlf", "nul", "encoding", "parquet", "xlsx", "dates")
NOTES = ["価格が高い", "競合に決定。", "導入時期が合わない", "特になし", "予算不足、来期に再検討", "サポート体制に不安",
         "機能が足りない, 特にSSO", "担当者が異動", "-", "", "稟議が通らず", "他社の方が安い😭"]
DATES = ["2024-11-14", "2024/11/01 9:00", "2024年11月14日", "Nov 14, 2024", "令和6年10月3日", "11/30/2024",
         "2024-12-01T10:00:00Z", "来週", "", "2024-02-30"]


@dataclass
class HostileSpec:
    """One hostile export and the truth: its data rows, or the error it must raise."""

    path: Path
    kind: str
    n_rows: int | None  # data rows every one of which must be kept or rejected (None: an error is expected)
    error: str | None = None  # a piece of the InputError's message
    text_columns: list[str] = field(default_factory=lambda: ["reason"])
    id_column: str = "id"
    date_column: str = "date"
    since: str | None = None
    until: str | None = None
    read_kwargs: dict[str, Any] = field(default_factory=dict)


def _note(rng: random.Random) -> str:
    return "".join(rng.choice(NOTES) for _ in range(rng.randint(1, 2)))


def _rows(rng: random.Random, n: int) -> list[list[str]]:
    return [[f"D-{i:05d}", _note(rng), rng.choice(DATES[:7])] for i in range(n)]


def _csv(rows: list[list[str]], rng: random.Random, quoting: int | None = None) -> str:
    buf = io.StringIO(newline="")
    header = ("id", "reason", "date")
    quoting = rng.choice([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]) if quoting is None else quoting
    end = rng.choice(["\n", "\r\n"])
    if end == "\n" and any("\r" in c for r in rows for c in r):
        # Python's writer leaves a lone \r unquoted under a \n terminator: every reader then sees a
        # line break there (a CRM quotes it)
        quoting = csv.QUOTE_ALL
    csv.writer(buf, lineterminator=end, quoting=quoting).writerows([list(header), *rows])
    return buf.getvalue()


def _quote(path: Path, rng: random.Random, n: int) -> HostileSpec:
    rows = _rows(rng, n)
    for r in rng.sample(rows, k=min(3, n)):  # legitimate quoted line breaks, commas and quotes
        r[1] = r[1] + rng.choice(['\n二行目', ', と "言われた"', '\r\n三行目'])
    lines = _csv(rows, rng, csv.QUOTE_MINIMAL).split("\n")
    for _ in range(rng.randint(1, 4)):  # a stray opening quote at the start of a cell of a one-line row
        i = rng.randrange(1, len(lines) - 1)
        cells = lines[i].split(",")
        if len(cells) != 3 or any(c.startswith('"') or c.endswith('"') for c in cells) or '"' in lines[i]:
            continue
        j = rng.choice([0, 1])
        cells[j] = '"' + (cells[j] or "失注")
        lines[i] = ",".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")
    return HostileSpec(path, "quote", n)


def _crlf(path: Path, rng: random.Random, n: int) -> HostileSpec:
    rows = _rows(rng, n)
    for r in rows:
        if rng.random() < 0.3:
            r[0] = r[0][:3] + rng.choice(["\r\n", "\n", "\r"]) + r[0][3:]
        if rng.random() < 0.3:
            r[1] = r[1] + rng.choice(["\r\n", "\n", "\r"]) + _note(rng)
    # every cell with a line break is quoted (QUOTE_MINIMAL quotes \r and \n)
    path.write_bytes(_csv(rows, rng).encode("utf-8"))
    return HostileSpec(path, "crlf", n)


def _nul(path: Path, rng: random.Random, n: int) -> HostileSpec:
    rows = _rows(rng, n)
    for r in rows:
        if rng.random() < 0.3:
            r[0] = r[0] + rng.choice(["\x00", "\x00\x00", "\x07", "\x1b"])
        if rng.random() < 0.3:
            r[1] = "\x00" + r[1] + rng.choice(["\x00", "\u202e", "\u200b"])
    path.write_bytes(_csv(rows, rng).encode("utf-8"))
    return HostileSpec(path, "nul", n)


def _encoding(path: Path, rng: random.Random, n: int) -> HostileSpec:
    rows = [[a, b.replace("😭", ""), c] for a, b, c in _rows(rng, n)]
    text = _csv(rows, rng)
    codec = rng.choice(["cp932", "utf-16", "utf-8"])
    data = text.encode(codec)
    if codec != "utf-16" and rng.random() < 0.5 and n > 2:
        line = rng.randrange(2, n + 1)  # a damaged byte on a data line: the error names that line
        starts = [0] + [k + 1 for k, b in enumerate(data) if b == 0x0A]
        at = data.index(b",", starts[line - 1]) + 1
        bad = b"\xff\xfe" if codec == "utf-8" else b"\x81\x20"
        path.write_bytes(data[:at] + bad + data[at:])
        return HostileSpec(path, "encoding", None, error=f"at line {line},")
    path.write_bytes(data)
    return HostileSpec(path, "encoding", n)


def _parquet(path: Path, rng: random.Random, n: int) -> HostileSpec:
    import pandas as pd

    ids = [f"D-{i}" + rng.choice(["", "", "\x00", "\r\n", "\n"]) for i in range(n)]
    reasons = [[_note(rng) for _ in range(rng.randint(0, 3))] if rng.random() < 0.9 else None for _ in range(n)]
    extra = [[{"k": _note(rng)}] if rng.random() < 0.1 else None for _ in range(n)]
    text_columns = ["reason", "extra"] if rng.random() < 0.5 else ["reason"]
    pd.DataFrame({"id": ids, "reason": reasons, "extra": extra, "meta": [{"owner": "田中"}] * n,
                  "date": [rng.choice(DATES) for _ in range(n)]}).to_parquet(path)
    return HostileSpec(path, "parquet", n, text_columns=text_columns)


def _xlsx(path: Path, rng: random.Random, n: int) -> HostileSpec:
    import pandas as pd

    rows = _rows(rng, n)
    for r in rows:
        if rng.random() < 0.3:
            r[0] = r[0] + rng.choice(["\r\n", "\n"]) + "x"
    kind = rng.random()
    if kind < 0.6:
        footer = [["合計", "", ""], ["機密情報 - 社外秘", "", ""]] if rng.random() < 0.5 else []
        pd.DataFrame(rows + footer, columns=["id", "reason", "date"]).to_excel(path, index=False)
        return HostileSpec(path, "xlsx", n + len(footer))
    # a small bomb: the sheet (or the shared strings) unzips far past what it takes on disk
    plain = path.with_suffix(".plain.xlsx")
    pd.DataFrame(rows[:1] + [["D-x", "PLACEHOLDER", "2024-11-14"]], columns=["id", "reason", "date"]).to_excel(
        plain, index=False)
    sheet = kind < 0.8
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if sheet and info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b"<row/>" * 600_000 + b"</sheetData>")
            if not sheet and info.filename == "xl/sharedStrings.xml":
                data = data.replace(b"PLACEHOLDER", b"x" * 2_500_000)
            zout.writestr(info.filename, data)
    plain.unlink()
    if sheet:
        return HostileSpec(path, "xlsx", None, error="max_sheet_mb", read_kwargs={"max_sheet_mb": 2})
    return HostileSpec(path, "xlsx", None, error="max_cell_mb", read_kwargs={"max_cell_mb": 1})


def _dates(path: Path, rng: random.Random, n: int) -> HostileSpec:
    rows = [[f"D-{i}", _note(rng), rng.choice(DATES)] for i in range(n)]
    rows[0][2] = "2024-11-14"  # inside every window below
    path.write_text(_csv(rows, rng), encoding="utf-8")
    if rng.random() < 0.2:  # after the last date: every row outside the window
        return HostileSpec(path, "dates", None, error="outside the window", since="2030-01-01")
    since, until = rng.choice([("2024-11-01", None), (None, "2024-11-14"), ("2024-11-10", "2024-11-30")])
    return HostileSpec(path, "dates", n, since=since, until=until)


_WRITERS = {"quote": _quote, "crlf": _crlf, "nul": _nul, "encoding": _encoding, "parquet": _parquet, "xlsx": _xlsx,
            "dates": _dates}
_SUFFIX = {"parquet": ".parquet", "xlsx": ".xlsx"}


def write_hostile(out_dir: str | Path, n: int = 1000, seed: int = 0) -> list[HostileSpec]:
    """Write *n* hostile exports into *out_dir* (kinds in turn, sizes and damage from *seed*)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    specs = []
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        path = out / f"hostile_{i:04d}_{kind}{_SUFFIX.get(kind, '.csv')}"
        specs.append(_WRITERS[kind](path, rng, rng.randint(3, 40)))
    return specs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out_dir")
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    specs = write_hostile(args.out_dir, args.n, args.seed)
    print(f"{len(specs)} exports written to {args.out_dir}")


if __name__ == "__main__":
    main()
