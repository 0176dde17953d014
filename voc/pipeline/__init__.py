"""The orchestrator: the only module that knows the order of the stages.

read → clean → tokenize → embed → themes → match → label (names) → subthemes → label → insights → render
→ history (the ``latest`` link switches to the new report once the history holds the run)

Each stage is a function of its own module that takes and returns plain data (docs/architecture.md).
``match`` comes before ``label``: a theme's name and keywords are those of its stable id, after the
taxonomy's merges and names.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from voc.config import Config
from voc.errors import ConfigError, InputError

if TYPE_CHECKING:
    import pandas as pd

    from voc.analysis import ThemeAnalysis
    from voc.report.model import ReportModel
    from voc.report.record import RunRecord
    from voc.themes import ThemeModel

from voc.pipeline._check import CheckResult, check_export, report_units
from voc.pipeline._read import _outcome_summary, _read, _require_rows
from voc.pipeline._render import (
    _label,
    _output_tables,
    _record,
    _replace_json,
    _report_model,
    _theme_rows,
    _themes_frame,
    _write,
)
from voc.pipeline._units import (
    _clean,
    _count_deals,
    _in_notes,
    _log_rows,
    _one_outcome_columns,
    _unit_counts,
    _units,
)

__all__ = ["ReportResult", "run_report", "executor_for", "theme_model", "check_export", "CheckResult", "report_units"]

log = logging.getLogger(__name__)

#: Rows (in the window) from which a report forks its worker processes for the naming parse and
#: the sub-theme splits when it starts (:func:`voc.parallel.worker_pool`); below, they run in
#: this process or in workers forked when needed, as those steps decide.
WORKER_POOL_MIN_ROWS = 2_000


@dataclass
class ReportResult:
    """What :func:`run_report` produced.

    Attributes
    ----------
    themes : DataFrame
        One row per reported theme, largest first: ``theme_id``, ``label``, ``size``, ``share``,
        ``keywords`` (list), ``quotes`` (list, representative first), ``status`` (新規 or empty),
        ``emerging`` (bool).
    assignments : DataFrame
        ``assignments.csv``: ``row``, the id column when configured, ``theme_id``, ``theme_label``.
    rejected : DataFrame
        ``rejected.csv``: ``row``, the id column, ``reason``, ``detail``.
    records : DataFrame
        Every data row the export held (``row`` and every column), for :meth:`rows_with_themes`.
    """

    out_dir: Path
    run: RunRecord
    themes: pd.DataFrame
    assignments: pd.DataFrame
    rejected: pd.DataFrame
    records: pd.DataFrame
    model: ThemeModel
    report: ReportModel | None = None  # the table model every format was rendered from
    analysis: ThemeAnalysis | None = None  # themes, names, sub-themes, ids: theme_info(), document_info()

    def rows_with_themes(self) -> pd.DataFrame:
        """Every row of the export with its theme: :func:`voc.report.join_themes`; with an outcome
        column also ``outcome_as_read`` (won / lost / open: the run's ``[input]`` outcome words read
        by :func:`voc.read.outcomes.map_outcomes`, as its win/loss counted them)."""
        from voc.read.outcomes import map_outcomes
        from voc.report import join_themes

        cin = self.run.options.get("input", {})
        column = cin.get("outcome_column")
        outcomes = (map_outcomes(self.records[column], cin.get("won_values"), cin.get("lost_values"),
                                 cin.get("open_values")).outcome if column else None)
        return join_themes(self.records, self.assignments, self.rejected, outcomes=outcomes)


def _typed(frame: pd.DataFrame, config: Config) -> pd.DataFrame:
    """The export's rows for analysts, numeric columns typed (:func:`voc.read.typed_columns`);
    the configured id, text, outcome, date, segment and competitor columns stay text."""
    from voc.read import typed_columns

    cin = config.input
    keep = [cin.id_column, *cin.text_columns, cin.outcome_column, cin.date_column, *cin.segment_columns,
            cin.competitor_column]
    return typed_columns(frame, exclude=[c for c in keep if c])


class _Timer:
    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        log.info("stage %s …", name)
        t0 = time.perf_counter()
        yield
        # a stage entered twice (match: the previous run's k before the fit, the matching after it) adds up
        self.timings[name] = round(self.timings.get(name, 0.0) + time.perf_counter() - t0, 3)
        log.info("stage %s done in %.1fs", name, self.timings[name])

    def add(self, timings: dict[str, float]) -> None:
        """Add the seconds of stages timed elsewhere (:attr:`voc.analysis.ThemeAnalysis.timings_`)."""
        for name, seconds in timings.items():
            self.timings[name] = round(self.timings.get(name, 0.0) + seconds, 3)


def executor_for(config: Config) -> Any:
    """Where the corpus-wide steps run: a Dask cluster (``[scale] dask``) or this machine."""
    if config.scale.dask:
        from voc.distributed import DaskExecutor

        return DaskExecutor(config.scale.dask)
    from voc.parallel import LocalExecutor

    return LocalExecutor(n_jobs=config.scale.n_jobs)


def theme_model(config: Config, **params: Any) -> ThemeModel:
    """The unfitted :class:`~voc.themes.ThemeModel` of ``[model]`` and ``[scale]``; *params* add to
    or override them (``tokenizer``, ``seed_words``, ``previous_k``)."""
    from voc.themes import ThemeModel

    m, s = config.model, config.scale
    values: dict[str, Any] = {
        "n_themes": m.n_themes, "embedding": m.embedding, "clustering": m.clustering,
        "consensus_runs": m.consensus_runs, "reduction": m.reduction, "random_state": m.seed,
        "n_jobs": s.n_jobs, "k_margin": m.auto_k_margin, "fit_sample": s.fit_sample, "batch_size": s.batch_size,
    }
    return ThemeModel(**{**values, **params})


def run_report(config: Config, *, progress: bool = False) -> ReportResult:
    """Run the whole report for *config* and write it to ``[output] dir``.

    Every data row of the input ends up either in ``assignments.csv`` or in ``rejected.csv`` (and
    counted in ``run.json``). Holds a lock on the output folder and the run history for the whole
    run (:mod:`voc._lock`): a second run on the same output or history fails at once with
    :class:`~voc._lock.LockedError` instead of interleaving writes.
    """
    from voc._lock import run_lock
    from voc.history import history_path

    if not config.input.path:
        raise ConfigError("no input file: pass INPUT or set [input] path in the config")
    if not config.input.text_columns:
        raise ConfigError("no text column: pass --text-column COL or set [input] text_columns")
    history = history_path(config.history.path, config.output.dir) if config.history.enabled else None
    if history is not None:  # before any work: a linked history file is refused (exit 2)
        from voc.history.store import check_history_path

        check_history_path(history)
    with run_lock(config.output.dir, history), contextlib.ExitStack() as workers:
        return _run_report(config, history, workers, progress=progress)


def _run_report(config: Config, history: Path | None, workers: contextlib.ExitStack, *,
                progress: bool) -> ReportResult:
    # each stage imports what it needs as it starts (imported before the forks, in every worker)
    from voc._free_text import require_free_text
    from voc.taxonomy import Taxonomy, load_taxonomy
    from voc.tokenize import Tokenizer

    cin = config.input
    timer = _Timer()
    executor = executor_for(config)
    tokenizer = Tokenizer()
    taxonomy = load_taxonomy(config.taxonomy.path, missing_ok=True) if config.taxonomy.path else Taxonomy()
    with timer.stage("read"):  # the outcomes before the fit: an unusable outcome column exits 2 now
        export, outcomes, dates, in_window, rejected_window = _read(config)
    workers.enter_context(_workers(config, len(in_window)))  # forked now, while this process holds little
    with timer.stage("clean"):  # on this machine the clean stage tokenizes too: one MeCab parse per text
        kept, rejected_clean, statements = _clean(config, executor, in_window, tokenizer, progress)
        _require_rows(kept, export, [rejected_window, rejected_clean])
        require_free_text(kept, in_window, cin.text_columns, export.path)  # a category column exits 2 here
    from voc.history import record_run
    from voc.insights import insight_tables, theme_changes
    from voc.report.writer import link_report
    from voc.units import quote_context, unit_records, unit_themes

    # the units: what gets a theme (statements or rows); only the voice is analysed, the log counted apart
    units = _units(config, kept, statements, executor, tokenizer, timer, progress)
    voice = units[units["kind"] == "voice"].reset_index(drop=True)
    analysis, previous_k = _analyse(config, voice, taxonomy, tokenizer, history, executor, timer, progress)
    workers.close()  # the naming's and the sub-themes' workers are done: their memory goes back now
    model, stable, subs, labels = analysis.model_, analysis.stable_, analysis.subthemes_, analysis.labels_
    with timer.stage("label"):
        results = (dict(zip(export.frame["row"].tolist(), outcomes.outcome.loc[export.frame.index].tolist(), strict=True))
                   if outcomes is not None else None)  # each row's outcome as read, for the quotes
        table, quotes, sub_entries = _label(analysis, unit_records(voice, kept), config, results)
    # the long table (unit → theme, sub-theme) that the insights, the report and the history read
    long = unit_themes(units, labels, analysis.subtheme_labels_ if subs is not None else None)
    said = long[long["kind"] == "voice"]  # the rep's log never enters a comparison
    with timer.stage("insights"):
        excluded = _one_outcome_columns(config, in_window, outcomes)
        tables = insight_tables(
            said, kept, in_window, date_column=cin.date_column, outcome_column=cin.outcome_column,
            segment_columns=cin.segment_columns, competitor_column=cin.competitor_column,
            outcomes=outcomes.outcome.loc[in_window.index] if outcomes is not None else None,
            recent_months=config.insights.recent_months, min_count=config.insights.min_count,
            excluded_columns=[e["column"] for e in excluded],
        )
        # statements: a theme's and a sub-theme's size is its deals, as every figure counts them
        table, sub_entries = _count_deals(config, table, sub_entries, said, stable, model, n_rows=len(kept))
        changes = theme_changes(table, stable.previous, n_current=len(kept), previous_n_kept=stable.previous_n_kept)
    with timer.stage("render"):
        place = quote_context(units)  # each statement's place in its note, for the quotes and the log
        if config.units.unit == "statement":
            quotes, sub_entries = _in_notes(quotes, sub_entries, place)
        rows = _theme_rows(table, quotes, sub_entries, tables, stable.taxonomy, said)
        names = {r.theme_id: r.label for r in rows}
        sub_names = {s.subtheme_id: s.label for r in rows for s in r.subthemes} if subs is not None else None
        assignments, rejected, mentions = _output_tables(kept, units, long, names, sub_names, export,
                                                         [rejected_window, rejected_clean], config)
        record = _record(config, export, kept, rejected, stable, model, previous_k, len(rows), timer)
        record.outcomes = _outcome_summary(outcomes, in_window, kept, config) if outcomes is not None else None
        record.dates, record.units = dates, _unit_counts(config, units)
        report_model = _report_model(config, rows, record, {"months": tables.months, "changes": changes,
                                                            "log": _log_rows(units, place),
                                                            "excluded": excluded}, stable)
        folder = _write(config, report_model, assignments, rejected, record, mentions)
    with timer.stage("history"):
        # the `latest` link moves to the new folder only once the history holds the run: killed
        # at any point, `latest` and the history name the same run (tests/test_crash_history.py)
        record_run(stable, record, names, assignments, analysis.written_, history=history, id_column=cin.id_column,
                   taxonomy_path=config.taxonomy.path, update_taxonomy=config.taxonomy.update,
                   subthemes=subs.history_table(sub_names or {}, analysis.written_) if subs is not None else None,
                   after_record=lambda: link_report(config.output.dir, folder))
    out = Path(config.output.dir)
    record.timings_s = timer.timings
    _replace_json(folder / "run.json", record)  # written in the render stage: now with its and the history's timings
    log.info("report written to %s", out)
    return ReportResult(out_dir=out, run=record, themes=_themes_frame(rows), assignments=assignments,
                        rejected=rejected, records=_typed(export.frame, config), model=model, report=report_model,
                        analysis=analysis)


def _workers(config: Config, n_rows: int) -> contextlib.AbstractContextManager[None]:
    """The worker processes of the naming parse and the sub-theme splits
    (:func:`voc.parallel.worker_pool`), for an export large enough to use them."""
    from voc.parallel import worker_pool

    return worker_pool(config.scale.n_jobs if n_rows >= WORKER_POOL_MIN_ROWS else 1)


# -- the steps' glue: plain data in, plain data out --------------------------------------------------
def _analyse(
    config: Config, units: pd.DataFrame, taxonomy: Any, tokenizer: Any, history: Path | None, executor: Any,
    timer: _Timer, progress: bool,
) -> tuple[ThemeAnalysis, int | None]:
    """Embed the units and run the analysis on them (themes → stable ids → names → sub-themes →
    their ids, :class:`voc.analysis.ThemeAnalysis`) against the previous run of the history; the
    analysis and the previous run's k (auto mode)."""
    from voc.analysis import ThemeAnalysis
    from voc.embed import embed_corpus
    from voc.history import load_previous, previous_auto_k
    from voc.parallel import warm_workers

    cin, cm, cs = config.input, config.model, config.scale
    texts, tokens = units["text"].tolist(), units["tokens"].tolist()
    with timer.stage("match"):  # the run history's first open (DuckDB) costs ~1 s: count it where it belongs
        unit = config.units.unit  # a statement run is not compared with a row run
        previous_k = previous_auto_k(history, cin.text_columns, unit) if cm.n_themes == "auto" else None
        previous = load_previous(history, cin.text_columns, unit=unit)
    with timer.stage("embed"):
        warm_workers()  # the naming's and the sub-themes' workers import while this stage runs on one core
        embedder, embeddings = embed_corpus(texts, tokens, cm.embedding, random_state=cm.seed,
                                            fit_sample=cs.fit_sample, executor=executor, batch_size=cs.batch_size,
                                            progress=progress)
    analysis = ThemeAnalysis(
        theme_model(config, tokenizer=tokenizer, seed_words=taxonomy.seed_topic_list() or None, previous_k=previous_k),
        naming=cm.naming, subthemes=cm.subthemes, taxonomy=taxonomy, previous=previous,
        match_threshold=config.history.match_threshold, random_state=cm.seed, n_jobs=cs.n_jobs,
    )
    try:
        analysis.fit(texts, tokens=tokens, embeddings=embeddings, embedder=embedder, executor=executor,
                     progress=progress)
    except InputError as exc:  # e.g. too few texts with content words: name the export and its columns
        raise exc.located(str(cin.path), "+".join(cin.text_columns)) from exc
    timer.add(analysis.timings_)  # the themes, match, label and subthemes stages
    timer.timings.update({f"themes.{k}": round(v, 3) for k, v in analysis.model_.timings_.items()})
    return analysis, previous_k


