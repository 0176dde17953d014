"""Profile a read export: what each column holds and which role it could play in ``voc report``.

``voc inspect FILE`` is a thin CLI over :func:`inspect_export` and :func:`render`;
``--write-config voc.toml`` calls :func:`write_config` with the guesses. Pure library: no printing.

Per column: detected type (``text`` free text, ``date``, ``category``, ``number``, ``id``, ``empty``),
fill rate, distinct values, examples, and a guessed role:

* ``text``: free text worth analysing: long (mean ≥ 15 characters), mostly distinct, written in
  Japanese, with sentence punctuation (a deal or company name is short and has none);
* ``date``: a date column, a closing date (完了予定日, 受注日, closed...) before others;
* ``outcome``: a column whose values :func:`voc.read.outcomes.map_outcomes` maps, with that mapping;
* ``competitor``: named like 競合 / competitor;
* ``segment``: a category with 2–30 values filled in most rows (業種, 地域, 担当者...);
* ``id``: distinct codes (D-000001, Salesforce ids, レコード番号).
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, get_args

from voc.read import parse_dates
from voc.read.outcomes import OutcomeMapping, map_outcomes

if TYPE_CHECKING:
    import pandas as pd

    from voc.read import Export

__all__ = [
    "ColumnType",
    "Role",
    "Lang",
    "ColumnProfile",
    "ConfigGuess",
    "ExportProfile",
    "profile_export",
    "inspect_export",
    "render",
    "write_config",
]

ColumnType = Literal["text", "date", "category", "number", "id", "empty"]
Role = Literal["text", "date", "outcome", "segment", "competitor", "id", ""]
Lang = Literal["ja", "en"]
LANGS: tuple[str, ...] = get_args(Lang)

_SAMPLE = 5000  # filled values per column looked at (the first ones: deterministic)
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_SENTENCE = re.compile(r"[。、！？!?，．]|[,.]\s")
_NUMBER = re.compile(r"^[-+]?\d+(?:\.\d+)?$")
_CODE = re.compile(
    r"^(?:[A-Za-z]{1,5}[-_]?\d{2,}|[A-Za-z0-9]{15}|[A-Za-z0-9]{18}|\d+-\d+"
    r"|\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?)$"
)
_ID_NAME = re.compile(r"(^|[^a-z])id$|^id|番号|コード|^no\.?$|record|レコード|ＩＤ|识别", re.IGNORECASE)
_CLOSE_NAME = re.compile(r"完了|受注|成約|失注|予定日|クローズ|close|won|lost|決定日|終了", re.IGNORECASE)
_DATE_NAME = re.compile(r"日|date|time|月", re.IGNORECASE)
_OUTCOME_NAMES = (
    re.compile(r"outcome|結果|成否|受注|失注|won|result", re.IGNORECASE),
    re.compile(r"status|ステータス|状態|状況", re.IGNORECASE),
    re.compile(r"stage|phase|フェーズ|ステージ|進捗|段階", re.IGNORECASE),
)
_NAME_LIKE = re.compile(
    r"顧客|取引先|customer|account|会社名|企業名|company name|topic|件名|案件名|商談名|取引名", re.IGNORECASE
)
_COMPETITOR_NAME = re.compile(r"競合|competitor|他社|competition|比較", re.IGNORECASE)


@dataclass
class ColumnProfile:
    """What one column holds. ``reason`` says in English why the role was guessed (``role_ja`` in Japanese)."""

    name: str
    type: ColumnType
    n_filled: int
    fill_rate: float
    n_distinct: int
    mean_length: float
    japanese_share: float
    sentence_share: float = 0.0
    template_share: float = 0.0
    examples: list[str] = field(default_factory=list)
    role: Role = ""
    reason: str = ""
    reason_ja: str = ""
    outcomes: OutcomeMapping | None = None


@dataclass
class ConfigGuess:
    """The ``[input]`` settings :func:`write_config` writes (keys as in :mod:`voc.config`)."""

    path: str
    text_columns: list[str] = field(default_factory=list)
    id_column: str | None = None
    date_column: str | None = None
    outcome_column: str | None = None
    segment_columns: list[str] = field(default_factory=list)
    competitor_column: str | None = None
    encoding: str = "auto"
    sheet: str | int | None = None
    header_row: int = 1
    won_values: list[str] = field(default_factory=list)
    lost_values: list[str] = field(default_factory=list)
    unmapped_values: list[str] = field(default_factory=list)


@dataclass
class ExportProfile:
    """A profiled export: the file, its rows and its columns, with the guesses for a config."""

    path: str
    encoding: str
    sheet: str | None
    header_row: int
    n_read: int
    rejected: dict[str, int]
    columns: list[ColumnProfile]
    guess: ConfigGuess


# -- per column ------------------------------------------------------------------------------------
def _as_number(v: str) -> str:
    return re.sub(r"^(jpy|usd)|[¥\\$,\s円%]", "", v.casefold())


def _column(name: str, values: pd.Series, n_rows: int) -> ColumnProfile:
    text = values.astype(str).str.strip()
    filled = text[text != ""]
    sample = [unicodedata.normalize("NFKC", v) for v in filled.iloc[:_SAMPLE].tolist()]
    n = len(sample)
    prof = ColumnProfile(
        name=name,
        type="empty",
        n_filled=len(filled),
        fill_rate=len(filled) / n_rows if n_rows else 0.0,
        n_distinct=int(filled.nunique()),
        mean_length=sum(len(v) for v in sample) / n if n else 0.0,
        japanese_share=sum(1 for v in sample if _JAPANESE.search(v)) / n if n else 0.0,
        sentence_share=sum(1 for v in sample if _SENTENCE.search(v)) / n if n else 0.0,
        # names made from one template (ミエルクラウド案件 12): few distinct values once digits are dropped
        template_share=1 - len({re.sub(r"\d+", "", v) for v in sample}) / n if n else 0.0,
    )
    if not n:
        return prof
    distinct = len(set(sample)) / n
    examples = list(dict.fromkeys(filled.iloc[:200].tolist()))
    prof.examples = [v if len(v) <= 40 else v[:39] + "…" for v in examples[:3]]

    def share(pred: Any) -> float:
        return sum(1 for v in sample if pred(v)) / n

    if parse_dates(sample).notna().mean() >= 0.9:  # the parser the report reads dates with
        prof.type = "date"
    elif (
        distinct >= 0.98
        and n >= 2
        and prof.mean_length <= 40
        and (
            share(lambda v: bool(_CODE.match(v))) >= 0.9
            or (_ID_NAME.search(name) and share(lambda v: " " not in v) >= 0.95)
        )
    ):
        prof.type = "id"
    elif share(lambda v: bool(_NUMBER.match(_as_number(v)))) >= 0.95:
        prof.type = "number"
    elif prof.mean_length >= 15 and distinct >= 0.5:
        prof.type = "text"
    else:
        prof.type = "category"
    return prof


def _outcome_rank(c: ColumnProfile) -> tuple[float, int, int]:
    assert c.outcomes is not None
    hint = next((i for i, rx in enumerate(_OUTCOME_NAMES) if rx.search(c.name)), len(_OUTCOME_NAMES))
    return (-round(c.outcomes.coverage, 1), hint, c.n_distinct)


def profile_export(export: Export) -> ExportProfile:
    """Profile every column of *export* and guess the roles (see the module docstring).

    Needs only :attr:`Export.frame` (its columns other than ``row``); adds nothing to it.
    """
    frame = export.frame
    n = len(frame)
    cols = [_column(c, frame[c], n) for c in frame.columns if c != "row"]
    encoding = export.encoding if export.encoding not in ("xlsx", "parquet") else "auto"
    guess = ConfigGuess(path=export.path, encoding=encoding, sheet=export.sheet, header_row=export.header_row)
    # each step guesses one role among the columns the steps before it left without one
    _guess_texts(cols, guess)
    _guess_outcome(cols, frame, guess)
    _guess_date(cols, guess)
    _guess_competitor(cols, guess)
    _guess_id(cols, guess)
    _guess_segments(cols, guess)
    rejected = {str(k): int(v) for k, v in export.rejected["reason"].value_counts().sort_index().items()}
    return ExportProfile(path=export.path, encoding=export.encoding, sheet=export.sheet, header_row=export.header_row,
                         n_read=export.n_read, rejected=rejected, columns=cols, guess=guess)


def _guess_texts(cols: list[ColumnProfile], guess: ConfigGuess) -> None:
    """Free text worth analysing: Japanese sentences, not a template; other text says why not."""
    for c in cols:
        sentences = c.sentence_share >= 0.3 or c.mean_length >= 30
        if c.type == "text" and c.japanese_share >= 0.3 and sentences and c.template_share < 0.5:
            c.role = "text"
            c.reason = f"free text: {c.mean_length:.0f} characters on average, {c.fill_rate:.0%} filled, Japanese"
            c.reason_ja = f"自由記述（平均 {c.mean_length:.0f} 文字、記入率 {c.fill_rate:.0%}、日本語）"
            guess.text_columns.append(c.name)
        elif c.type == "text":
            why = "not Japanese" if c.japanese_share < 0.3 else "short names without sentences"
            why_ja = "日本語ではない" if c.japanese_share < 0.3 else "文ではなく名称"
            c.reason, c.reason_ja = f"text, but {why}: not analysed", f"テキストですが{why_ja}ため分析対象外"


def _guess_outcome(cols: list[ColumnProfile], frame: pd.DataFrame, guess: ConfigGuess) -> None:
    """Outcome: values the vocabulary maps, at least one of them won or lost; the best of such
    columns (:func:`_outcome_rank`) with its won and lost values, the others not segments."""
    candidates = []
    for c in cols:
        if c.type in ("category", "text") and c.role == "" and 1 <= c.n_distinct <= 50:
            m = map_outcomes(frame[c.name])
            if (m.n_won or m.n_lost) and m.coverage >= 0.5:
                c.outcomes = m
                candidates.append(c)
    if not candidates:
        return
    best = sorted(candidates, key=_outcome_rank)[0]
    best.role = "outcome"
    assert best.outcomes is not None
    m = best.outcomes
    best.reason = f"outcome: {m.n_won:,} won, {m.n_lost:,} lost, {m.n_open:,} open"
    best.reason_ja = f"受注・失注（受注 {m.n_won:,}、失注 {m.n_lost:,}、未完了 {m.n_open:,}）"
    guess.outcome_column = best.name
    guess.unmapped_values = [v for v, _ in m.unmapped]
    by_outcome = m.values[m.values["source"] != "blank"]
    guess.won_values = by_outcome.loc[by_outcome["outcome"] == "won", "value"].astype(str).tolist()
    guess.lost_values = by_outcome.loc[by_outcome["outcome"] == "lost", "value"].astype(str).tolist()
    for other in candidates:
        if other is not best:
            other.reason = f"also maps to outcomes (like {best.name!r}): not a segment"
            other.reason_ja = f"受注・失注を表す列（{best.name} と同様）のためセグメント対象外"


def _guess_date(cols: list[ColumnProfile], guess: ConfigGuess) -> None:
    """The date: a close date by its name first, then any date name, then the fullest."""
    dates = [c for c in cols if c.type == "date"]
    if dates:
        best_date = sorted(
            dates, key=lambda c: (not _CLOSE_NAME.search(c.name), not _DATE_NAME.search(c.name), -c.fill_rate)
        )[0]
        best_date.role = "date"
        best_date.reason = "date: months and trends are counted on it"
        best_date.reason_ja = "日付（月別の推移に使います）"
        guess.date_column = best_date.name


def _guess_competitor(cols: list[ColumnProfile], guess: ConfigGuess) -> None:
    """The first free category or text column named like a competitor."""
    for c in cols:
        if c.role == "" and c.type != "empty" and _COMPETITOR_NAME.search(c.name) and c.type in ("category", "text"):
            c.role, c.reason, c.reason_ja = "competitor", "competitor names", "競合名"
            guess.competitor_column = c.name
            break


def _guess_id(cols: list[ColumnProfile], guess: ConfigGuess) -> None:
    """The record id: an id column named like one first, then the fullest."""
    ids = [c for c in cols if c.type == "id" and c.role == ""]
    if ids:
        best_id = sorted(ids, key=lambda c: (not _ID_NAME.search(c.name), -c.fill_rate))[0]
        best_id.role, best_id.reason = "id", "record id: copied to assignments.csv"
        best_id.reason_ja = "レコードID（assignments.csv に出力）"
        guess.id_column = best_id.name


def _guess_segments(cols: list[ColumnProfile], guess: ConfigGuess) -> None:
    """Segments: the remaining categories with 2 to 30 values, mostly filled, not names of people."""
    for c in cols:
        free = c.role == "" and c.type == "category" and c.outcomes is None
        if free and 2 <= c.n_distinct <= 30 and c.fill_rate >= 0.5 and not _NAME_LIKE.search(c.name):
            c.role = "segment"
            c.reason = f"segment: {c.n_distinct} values"
            c.reason_ja = f"セグメント（{c.n_distinct} 種類）"
            guess.segment_columns.append(c.name)


def inspect_export(
    path: str | Path,
    *,
    encoding: str = "auto",
    sheet: str | int = 0,
    header_row: int | None = None,
    max_input_mb: float | None = 500.0,
    max_sheet_mb: float | None = 1000.0,
    max_cell_mb: float | None = 10.0,
) -> ExportProfile:
    """Read *path* (any format :func:`voc.read.read_export` reads) and :func:`profile_export` it.

    No column needs to be named: the header is the first row that looks like one unless
    *header_row* says it.
    """
    from voc.read import read_table

    export = read_table(path, encoding=encoding, sheet=sheet, header_row=header_row, max_input_mb=max_input_mb,
                        max_sheet_mb=max_sheet_mb, max_cell_mb=max_cell_mb)
    return profile_export(export)


# -- rendering ---------------------------------------------------------------------------------------
_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "file": "File",
        "rows": "data rows",
        "rejected": "rejected while reading",
        "header": "header on row",
        "column": "column",
        "type": "type",
        "filled": "filled",
        "distinct": "distinct",
        "role": "role",
        "examples": "examples",
        "mapping": "Outcome values of",
        "value": "value",
        "outcome": "outcome",
        "count": "count",
        "config": "Suggested [input] settings",
        "unmapped": "not recognised, counted as open",
        "next": "Next: voc inspect FILE --write-config voc.toml, then voc report --config voc.toml",
        "none": "(none found)",
        "text": "text",
        "date": "date",
        "category": "category",
        "number": "number",
        "id": "id",
        "empty": "empty",
        "won": "won",
        "lost": "lost",
        "open": "open",
        "configured": "configured",
        "default": "default",
        "blank": "blank",
    },
    "ja": {
        "file": "ファイル",
        "rows": "データ行",
        "rejected": "読み込み時に除外",
        "header": "見出し行",
        "column": "列",
        "type": "種類",
        "filled": "記入率",
        "distinct": "値の種類",
        "role": "役割",
        "examples": "例",
        "mapping": "受注・失注の値",
        "value": "値",
        "outcome": "判定",
        "count": "件数",
        "config": "設定の提案（[input]）",
        "unmapped": "未知の値（未完了として数えます）",
        "next": "次に: voc inspect FILE --write-config voc.toml で設定を書き、voc report --config voc.toml",
        "none": "（見つかりません）",
        "text": "自由記述",
        "date": "日付",
        "category": "カテゴリ",
        "number": "数値",
        "id": "ID",
        "empty": "空",
        "won": "受注",
        "lost": "失注",
        "open": "未完了",
        "configured": "設定",
        "default": "既定",
        "blank": "空欄",
    },
}


def render(profile: ExportProfile, lang: Lang = "ja") -> str:
    """The profile as plain text in Japanese (``"ja"``) or English (``"en"``)."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {{{', '.join(LANGS)}}}, got {lang!r}")
    w = _WORDS[lang]
    where = f" [{profile.sheet}]" if profile.sheet else ""
    lines = [
        f"{w['file']}: {profile.path}{where} ({profile.encoding}), {w['header']} {profile.header_row}, "
        f"{profile.n_read:,} {w['rows']}"
        + (
            f", {w['rejected']}: " + ", ".join(f"{k} {v:,}" for k, v in profile.rejected.items())
            if profile.rejected
            else ""
        ),
        "",
    ]
    rows = [[w["column"], w["type"], w["filled"], w["distinct"], w["role"], w["examples"]]]
    for c in profile.columns:
        role = c.reason_ja if lang == "ja" else c.reason
        rows.append([c.name, w[c.type], f"{c.fill_rate:.0%}", f"{c.n_distinct:,}", role or "-", " / ".join(c.examples)])
    widths = [max(_width(r[i]) for r in rows) for i in range(5)]
    for r in rows:
        lines.append("  ".join(_pad(r[i], widths[i]) for i in range(5)) + "  " + r[5])
    for c in profile.columns:
        if c.role == "outcome" and c.outcomes is not None:
            lines += ["", f"{w['mapping']} {c.name}:"]
            for v, o, s, n in c.outcomes.values[["value", "outcome", "source", "count"]].itertuples(index=False):
                note = w["unmapped"] if s == "unmapped" else w.get(s, s)
                lines.append(f"  {v or '(' + w['blank'] + ')'} → {w[o]} ({note}): {n:,}")
    g = profile.guess
    lines += ["", w["config"] + ":"]
    for key in ("text_columns", "id_column", "date_column", "outcome_column", "segment_columns", "competitor_column"):
        value = getattr(g, key)
        lines.append(f"  {key} = {json.dumps(value, ensure_ascii=False) if value else w['none']}")
    lines += ["", w["next"]]
    return "\n".join(lines) + "\n"


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, width: int) -> str:
    return s + " " * (width - _width(s))


# -- config ------------------------------------------------------------------------------------------
def _toml(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return "[" + ", ".join(_toml(v) for v in value) + "]"


def write_config(path: str | Path, guesses: ConfigGuess | ExportProfile) -> Path:
    """Write a commented TOML config from the guesses; :func:`voc.config.load_config` reads it.

    The export's path is written relative to the config file's folder when it is below it (that is
    how ``load_config`` resolves it). Keys whose value was not guessed are written commented out,
    so the file shows every setting to check. ``header_row``, ``won_values`` and ``lost_values``
    are written commented out at the end (the reader finds the header row itself when the columns
    are named, and the values listed are ones the vocabulary knows), and the values it did not
    recognise as a commented ``open_values`` with the advice to move closed ones.
    """
    g = guesses.guess if isinstance(guesses, ExportProfile) else guesses
    out = Path(path)
    base = out.resolve().parent
    export = Path(g.path).resolve()
    try:
        shown = os.path.relpath(export, base)
    except ValueError:  # another drive on Windows
        shown = str(export)
    if shown.startswith(".."):
        shown = str(export)

    def line(key: str, value: Any, comment: str) -> str:
        body = f"{key} = {_toml(value)}" if value not in (None, [], "") else f"# {key} ="
        return _pad(body, 46) + f"  # {comment}"

    lines = [
        "# voc config written by `voc inspect` from the columns of the export: check each guess,",
        "# then run `voc report --config THIS_FILE`. Relative paths are resolved against this file.",
        "",
        "[input]",
        line("path", shown, "the export"),
        line("text_columns", g.text_columns, "free text to find themes in (joined per row)"),
        line("id_column", g.id_column, "record id, copied to assignments.csv"),
        line("date_column", g.date_column, "monthly trends; since/until filter on it"),
        line("outcome_column", g.outcome_column, "won / lost / open: win rates per theme"),
        line("segment_columns", g.segment_columns, "share of each theme per segment"),
        line("competitor_column", g.competitor_column, "competitors co-mentioned per theme"),
        line("encoding", "auto", f"detected as {g.encoding}; or name it: utf-8, cp932, utf-16..."),
    ]
    if g.sheet is not None:
        lines.append(line("sheet", g.sheet, "xlsx: sheet name or 0-based index"))
    lines += [
        "",
        "# Found by voc: the reader finds the header row itself when the columns above are in it,",
        "# and these outcome values are among the words it knows. Uncomment to pin them.",
        f"# header_row = {g.header_row}" + ("" if g.header_row == 1 else "   # the column names are on this row"),
        f"# won_values = {_toml(g.won_values)}",
        f"# lost_values = {_toml(g.lost_values)}",
    ]
    if g.unmapped_values:
        lines += [
            "# Values voc did not recognise: counted as open (still running). If some are closed deals,",
            "# add them to won_values or lost_values above.",
            f"# open_values = {_toml(g.unmapped_values[:20])}",
        ]
    lines += ["", "[output]", 'dir = "reports/latest"', ""]
    out.write_text("\n".join(lines), encoding="utf-8")
    return out
