"""``voc check``: the read and clean stages of a report, without the themes.

An export is read, windowed and cleaned exactly as :func:`voc.pipeline.run_report` reads it (the
same helpers, in the same order), so the counts and the rejected rows are the ones the report
would give. Nothing is written but, on request, ``rejected.csv``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from voc.config import Config
from voc.errors import ConfigError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CheckResult", "check_export", "report_units"]


@dataclass
class CheckResult:
    """What :func:`check_export` found.

    Attributes
    ----------
    path : str
        The export.
    read : int
        Data rows the file holds.
    kept : int
        Rows a report would analyse.
    rejected : DataFrame
        ``rejected.csv`` as the report writes it: ``row``, the id column when configured,
        ``reason``, ``detail``; sorted by row.
    encoding : str
        The encoding the file was read with.
    units : int | None
        Statements kept (``[units] unit = "statement"``), of which ``voice`` are the customer's;
        ``None`` for whole-row units.
    voice : int | None
    dates : dict | None
        With a date column, ``run.json``'s ``dates``: dates read, empty, not dates (with examples).
    outcomes : dict | None
        With an outcome column, ``run.json``'s ``outcomes``: won / lost / open counts of the rows in
        the window and the values not recognised.
    """

    path: str
    read: int
    kept: int
    rejected: pd.DataFrame
    encoding: str
    units: int | None = None
    voice: int | None = None
    dates: dict[str, Any] | None = None
    outcomes: dict[str, Any] | None = None

    def counts(self) -> dict[str, Any]:
        """The figures as plain data (what ``voc check --format json`` prints)."""
        by_reason = Counter(self.rejected["reason"].tolist())
        out: dict[str, Any] = {"input": self.path, "encoding": self.encoding, "read": self.read, "kept": self.kept,
                               "rejected": len(self.rejected), "rejected_by_reason": dict(sorted(by_reason.items()))}
        if self.units is not None:
            out["statements"] = {"units": self.units, "voice": self.voice, "log": self.units - (self.voice or 0)}
        if self.dates is not None:
            out["dates"] = self.dates
        if self.outcomes is not None:
            out["outcomes"] = self.outcomes
        return out


def check_export(config: Config, *, progress: bool = False) -> CheckResult:
    """Read, window and clean ``[input] path`` as a report would; raise what the report would raise
    there (:class:`~voc.errors.InputError`, exit 2: the file, and the line, row or column at fault).

    Every data row is either kept or in ``rejected`` with a reason: ``read == kept + len(rejected)``
    (an :class:`AssertionError` otherwise: a bug, not bad input).
    """
    from voc._free_text import require_free_text
    from voc.pipeline import executor_for
    from voc.pipeline._read import _outcome_summary, _read, _require_rows
    from voc.pipeline._render import _rejected_table
    from voc.pipeline._units import _clean
    from voc.tokenize import Tokenizer

    cin = config.input
    if not cin.path:
        raise ConfigError("no input file: pass INPUT or set [input] path in the config")
    if not cin.text_columns:
        raise ConfigError("no text column: pass --text-column COL or set [input] text_columns")
    export, outcomes, dates, in_window, rejected_window = _read(config)
    kept, rejected_clean, statements = _clean(config, executor_for(config), in_window, Tokenizer(), progress)
    _require_rows(kept, export, [rejected_window, rejected_clean])
    require_free_text(kept, in_window, cin.text_columns, export.path)
    rejected = _rejected_table(export, [rejected_window, rejected_clean], cin.id_column)
    assert export.n_read == len(kept) + len(rejected), (export.n_read, len(kept), len(rejected))
    units = voice = None
    if statements is not None:
        units, voice = len(statements), int((statements["kind"] == "voice").sum())
    summary = _outcome_summary(outcomes, in_window, kept, config) if outcomes is not None else None
    return CheckResult(path=str(export.path), read=export.n_read, kept=len(kept), rejected=rejected,
                       encoding=export.encoding, units=units, voice=voice, dates=dates, outcomes=summary)


def report_units(config: Config, *, progress: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(kept, units)``: the kept rows and the table of units a report with *config* fits on, for
    an analyst who fits and edits themes in a notebook on what the report analyses.

    *kept* are the kept rows (``row``, the export's columns, ``text``); *units* the table of units
    (:mod:`voc.units`: ``unit``, ``row``, ``column``, ``start``, ``end``, ``text``, ``tokens``,
    ``kind``, ``cue``): with ``[units] unit = "statement"`` each statement, else one unit per row.
    Only ``kind == "voice"`` units get themes; a :class:`~voc.themes.ThemeModel` fitted on their
    ``text`` and ``tokens`` and a :class:`~voc.edit.ThemeEditor` made with
    :meth:`~voc.edit.ThemeEditor.from_config` give the ids the report gives (its history is
    matched in the same unit).
    """
    from voc.pipeline import _Timer, executor_for
    from voc.pipeline._read import _read, _require_rows
    from voc.pipeline._units import _clean, _units
    from voc.tokenize import Tokenizer

    if not config.input.path or not config.input.text_columns:
        raise ConfigError("report_units needs [input] path and text_columns")
    executor, tokenizer = executor_for(config), Tokenizer()
    export, _outcomes, _dates, in_window, rejected_window = _read(config)
    kept, rejected_clean, statements = _clean(config, executor, in_window, tokenizer, progress)
    _require_rows(kept, export, [rejected_window, rejected_clean])
    units = _units(config, kept, statements, executor, tokenizer, _Timer(), progress)
    return kept, units
