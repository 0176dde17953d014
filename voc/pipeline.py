"""The orchestrator: the only module that knows the order of the stages.

read → clean → tokenize → embed → themes → match → label (names) → subthemes → label → insights → render
→ history (the ``latest`` link switches to the new report once the history holds the run)

Each stage is a function of its own module that takes and returns plain data (docs/architecture.md).
``match`` comes before ``label``: a theme's name and keywords are those of its stable id, after the
taxonomy's merges and names.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from voc.config import Config
from voc.errors import ConfigError, InputError, VocError

if TYPE_CHECKING:
    import pandas as pd

    from voc.analysis import ThemeAnalysis
    from voc.history import StableIds
    from voc.insights import InsightTables
    from voc.report.model import ReportModel, ThemeRow
    from voc.report.record import RunRecord
    from voc.themes import ThemeModel

__all__ = ["ReportResult", "run_report", "executor_for", "theme_model"]

log = logging.getLogger(__name__)


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
        by :func:`voc.outcomes.map_outcomes`, as its win/loss counted them)."""
        from voc.read.outcomes import map_outcomes
        from voc.report import join_themes

        cin = self.run.options.get("input", {})
        column = cin.get("outcome_column")
        outcomes = (map_outcomes(self.records[column], cin.get("won_values"), cin.get("lost_values"),
                                 cin.get("open_values")).outcome if column else None)
        return join_themes(self.records, self.assignments, self.rejected, outcomes=outcomes)


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
    with run_lock(config.output.dir, history):
        return _run_report(config, history, progress=progress)


def _run_report(config: Config, history: Path | None, *, progress: bool) -> ReportResult:
    # Each stage imports what it needs when it starts: the clean stage forks its workers, and
    # modules imported before that (scikit-learn, DuckDB) would be in every worker's memory.
    from voc.read import filter_window, read_export
    from voc.taxonomy import Taxonomy, load_taxonomy
    from voc.tokenize import Tokenizer

    cin = config.input
    timer = _Timer()
    executor = executor_for(config)
    tokenizer = Tokenizer()
    taxonomy = load_taxonomy(config.taxonomy.path, missing_ok=True) if config.taxonomy.path else Taxonomy()
    with timer.stage("read"):
        required = [c for c in (cin.id_column, cin.date_column, cin.outcome_column) if c] + list(cin.segment_columns)
        export = read_export(cin.path, text_columns=cin.text_columns, required_columns=required,
                             encoding=cin.encoding, sheet=cin.sheet, header_row=cin.header_row,
                             max_input_mb=cin.max_input_mb, max_sheet_mb=cin.max_sheet_mb,
                             max_cell_mb=cin.max_cell_mb)
        outcomes = _outcomes(export, config)  # before the fit: an unusable outcome column exits 2 now
        dates = _dates(export, cin.date_column)
        in_window, rejected_window = filter_window(export.frame, cin.date_column, cin.since, cin.until,
                                                   path=export.path)
    with timer.stage("clean"):  # on this machine the clean stage tokenizes too: one MeCab parse per note
        kept, rejected_clean = executor.clean(in_window, cin.text_columns, mask=config.clean.mask_pii,
                                              max_text_chars=config.clean.max_text_chars, tokenizer=tokenizer,
                                              progress=progress)
        _require_rows(kept, export, [rejected_window, rejected_clean])
        from voc._free_text import require_free_text

        require_free_text(kept, in_window, cin.text_columns, export.path)  # a category column exits 2 here
    from voc.history import record_run
    from voc.insights import insight_tables, theme_changes
    from voc.units import make_units, unit_records, unit_themes

    tokens = kept.pop("tokens").tolist() if "tokens" in kept.columns else None
    if tokens is None:  # Dask: the workers tokenize
        with timer.stage("tokenize"):
            tokens = executor.tokenize(tokenizer, kept["text"].tolist(), progress=progress)
    # the units stage: what gets a theme (today one unit per kept row); every later stage reads them
    units = make_units(kept, cin.text_columns, tokens)
    analysis, previous_k = _analyse(config, units, taxonomy, tokenizer, history, executor, timer, progress)
    model, stable, subs, labels = analysis.model_, analysis.stable_, analysis.subthemes_, analysis.labels_
    with timer.stage("label"):
        results = (dict(zip(export.frame["row"].tolist(), outcomes.outcome.loc[export.frame.index].tolist(), strict=True))
                   if outcomes is not None else None)  # each row's outcome as read, for the quotes
        table, quotes, sub_entries = _label(analysis, unit_records(units, kept), config, results)
    # the long table (unit → theme, sub-theme) that the insights, the report and the history read
    long = unit_themes(units, labels, analysis.subtheme_labels_ if subs is not None else None)
    with timer.stage("insights"):
        tables = insight_tables(
            long, kept, in_window, date_column=cin.date_column, outcome_column=cin.outcome_column,
            segment_columns=cin.segment_columns, competitor_column=cin.competitor_column,
            outcomes=outcomes.outcome.loc[in_window.index] if outcomes is not None else None,
            recent_months=config.insights.recent_months, min_count=config.insights.min_count,
        )
        changes = theme_changes(table, stable.previous, n_current=int(long["row"].nunique()),
                                previous_n_kept=stable.previous_n_kept)
    with timer.stage("render"):
        rows = _theme_rows(table, quotes, sub_entries, tables, stable.taxonomy)
        names = {r.theme_id: r.label for r in rows}
        sub_names = {s.subtheme_id: s.label for r in rows for s in r.subthemes} if subs is not None else None
        assignments, rejected = _output_tables(kept, long, names, sub_names, export, [rejected_window, rejected_clean],
                                               config)
        record = _record(config, export, kept, rejected, stable, model, previous_k, len(rows), timer)
        if outcomes is not None:
            record.outcomes = _outcome_summary(outcomes, in_window, kept, config)
        record.dates = dates
        report_model = _report_model(config, rows, record, {"months": tables.months, "changes": changes}, stable)
        folder = _write(config, report_model, assignments, rejected, record)
    from voc.report.writer import link_report

    with timer.stage("history"):
        # the `latest` link moves to the new folder only once the history holds the run: killed
        # at any point, `latest` and the history name the same run (tests/test_crash_history.py)
        record_run(stable, record, names, assignments, analysis.written_, history=history, id_column=cin.id_column,
                   taxonomy_path=config.taxonomy.path, update_taxonomy=config.taxonomy.update,
                   subthemes=subs.history_table(sub_names or {}, analysis.written_) if subs is not None else None,
                   after_record=lambda: link_report(config.output.dir, folder))
    out = Path(config.output.dir)
    record.timings_s = timer.timings
    # run.json was written during the render stage: complete its timings with that stage and the
    # history's (replaced atomically, so a reader never sees half a file)
    _replace_json(folder / "run.json", record)
    log.info("report written to %s", out)
    return ReportResult(out_dir=out, run=record, themes=_themes_frame(rows), assignments=assignments,
                        rejected=rejected, records=export.frame, model=model, report=report_model,
                        analysis=analysis)


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

    cin, cm, cs = config.input, config.model, config.scale
    texts, tokens = units["text"].tolist(), units["tokens"].tolist()
    with timer.stage("match"):  # the run history's first open (DuckDB) costs ~1 s: count it where it belongs
        previous_k = previous_auto_k(history, cin.text_columns) if cm.n_themes == "auto" else None
        previous = load_previous(history, cin.text_columns)
    with timer.stage("embed"):
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


def _outcomes(export: Any, config: Config) -> Any:
    """Each read row's outcome (won / lost / open, :mod:`voc.outcomes`), or None without an outcome
    column; an :class:`~voc.errors.OutcomeError` (exit 2) when no value maps to won or lost."""
    from voc.read.outcomes import check_outcomes, map_outcomes

    cin = config.input
    if not cin.outcome_column:
        return None
    mapping = map_outcomes(export.frame[cin.outcome_column], cin.won_values, cin.lost_values, cin.open_values)
    check_outcomes(mapping, path=export.path, column=cin.outcome_column)
    return mapping


def _outcome_summary(outcomes: Any, in_window: pd.DataFrame, kept: pd.DataFrame, config: Config) -> dict[str, Any]:
    """``run.json``'s ``outcomes``: the values of the deals in the window, how each was read, their
    counts, and how many won / lost deals have an analysed text."""
    from voc.read.outcomes import map_outcomes, outcome_record

    cin = config.input
    assert cin.outcome_column
    mapping = map_outcomes(in_window[cin.outcome_column], cin.won_values, cin.lost_values, cin.open_values)
    return outcome_record(mapping, column=cin.outcome_column, analysed=in_window["row"].isin(kept["row"]))


def _dates(export: Any, date_column: str | None) -> dict[str, Any] | None:
    """``run.json``'s ``dates``: the date column read by :func:`voc.read.parse_dates`; a warning
    with examples when some filled values are not dates (those rows are left out of the trends)."""
    from voc.read import date_summary

    if not date_column:
        return None
    s = date_summary(export.frame[date_column], date_column)
    if s.n_unparsed:
        log.warning("%s: %d of %d values of the date column %r are not dates voc reads (e.g. %s); those rows are "
                    "left out of the monthly trends and outside any since/until window", export.path, s.n_unparsed,
                    len(export.frame), date_column, ", ".join(repr(e) for e in s.examples[:3]))
    return s.to_dict()


def _require_rows(kept: pd.DataFrame, export: Any, rejected: list[pd.DataFrame]) -> None:
    """An :class:`InputError` saying what removed every row, when no row is left to analyse."""
    import pandas as pd

    if len(kept) == 0:
        reasons = dict(sorted(pd.concat([export.rejected, *rejected])["reason"].value_counts().items()))
        hint = "check that the export has data rows and that --text-column names the free-text column"
        if reasons.get("outside_window"):
            hint = "move --since / --until into the export's dates; " + hint
        raise InputError(
            f"no row left to analyse: {export.n_read} data rows read, rejected: {reasons or 'none'}",
            path=export.path,
            hint=hint,
        )


def _label(
    analysis: ThemeAnalysis, kept: pd.DataFrame, config: Config, results: dict[int, str] | None = None,
) -> tuple[pd.DataFrame, dict[int, list[Any]], dict[int, list[dict[str, Any]]]]:
    """The label stage, plain data: the table of themes (:func:`voc.label.theme_table`, plus
    ``status``), each theme's quotes in context (*kept*: the units' records,
    :func:`voc.units.unit_records`) and each theme's sub-themes
    (:meth:`voc.subthemes.SubthemeResult.entries`). A theme's name is the taxonomy's, else its
    phrases (:mod:`voc.naming`), else its keywords (:class:`voc.analysis.ThemeAnalysis`)."""
    from voc.label import quote_records, theme_table

    model, stable, subs, labels = analysis.model_, analysis.stable_, analysis.subthemes_, analysis.labels_
    written, embeddings = analysis.written_, model.embeddings_
    table = theme_table(model.documents_, model.tokens_, embeddings, labels, analysis.keywords_, model.tokenizer_,
                        names=analysis.names_, written=written)
    table["status"] = [stable.status.get(t, subs.status_of(t) if subs else "") for t in table["theme_id"]]
    cin = config.input
    quotes = quote_records(kept, labels, embeddings, table["theme_id"].tolist(), results=results,
                           date_column=cin.date_column,
                           outcome_column=cin.outcome_column, segment_columns=cin.segment_columns)
    sub_entries = {} if subs is None else subs.entries(
        kept, embeddings, written, stable.taxonomy, date_column=cin.date_column, outcome_column=cin.outcome_column,
        segment_columns=cin.segment_columns, results=results)
    return table, quotes, sub_entries


def _theme_rows(table: pd.DataFrame, quotes: dict[int, list[Any]], sub_entries: dict[int, list[dict[str, Any]]],
                insights: InsightTables, taxonomy: Any) -> list[ThemeRow]:
    """The report's rows, built from the label stage's tables and the insights' (nothing filled in place)."""
    from voc.report.model import SubthemeRow, ThemeRow

    return [
        ThemeRow(theme_id=t.theme_id, label=t.label, size=t.size, share=t.share, keywords=t.keywords,
                 quotes=t.quotes, status=t.status, marketing=taxonomy.marketing(t.theme_id),
                 quote_records=quotes[t.theme_id], **insights.fields(t.theme_id, 0),
                 subthemes=[SubthemeRow(**e, **insights.fields(e["subtheme_id"], 1))
                            for e in sub_entries.get(t.theme_id, [])])
        for t in table.itertuples(index=False)
    ]


def _output_tables(
    kept: pd.DataFrame, long: pd.DataFrame, names: dict[int, str], sub_names: dict[int, str] | None, export: Any,
    rejected_parts: list[pd.DataFrame], config: Config,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``assignments.csv`` (one line per unit of the long table *long*: ``row``, the id column when
    configured, ``theme_id``, ``theme_label`` and, with *sub_names*, ``subtheme_id`` and
    ``subtheme_label``) and ``rejected.csv`` (sorted by row, with the id column when configured)."""
    import pandas as pd

    id_column = config.input.id_column
    id_cols = [id_column] if id_column else []
    assignments = long[["row"]].merge(kept[["row", *id_cols]], on="row", how="left", sort=False,
                                      validate="many_to_one")
    assignments["theme_id"] = long["theme_id"].to_numpy()
    assignments["theme_label"] = [names.get(int(t), "未分類") for t in long["theme_id"]]
    if sub_names is not None:
        assignments["subtheme_id"] = long["subtheme_id"].to_numpy()
        assignments["subtheme_label"] = [sub_names.get(int(s), "") for s in long["subtheme_id"]]
    rejected = pd.concat([export.rejected, *rejected_parts], ignore_index=True)
    if id_column and len(rejected):
        ids = export.frame.set_index("row")[id_column]
        rejected.insert(1, id_column, rejected["row"].map(ids).fillna(""))
    rejected = rejected.sort_values("row", kind="stable").reset_index(drop=True)
    return assignments, rejected


def _record(
    config: Config, export: Any, kept: pd.DataFrame, rejected: pd.DataFrame, stable: StableIds, model: ThemeModel,
    previous_k: int | None, n_themes: int, timer: _Timer,
) -> RunRecord:
    from voc import __version__
    from voc.report.record import AutoK, InputInfo, RowCounts, RunRecord, ThemeCounts

    by_reason = {str(k): int(v) for k, v in rejected["reason"].value_counts().sort_index().items()}
    counts = RowCounts(read=export.n_read, kept=len(kept), rejected=len(rejected), rejected_by_reason=by_reason,
                       truncated=int(kept["truncated"].sum()))
    if counts.read != counts.kept + counts.rejected:  # pragma: no cover - a bug if it happens
        raise VocError(f"row accounting does not add up: {counts}; please report this")
    auto_k = None
    if getattr(model, "k_chosen_", None) is not None:
        # the k chosen, every candidate's stability (so a scheduled run's log shows how close the
        # call was), the previous run's k and whether it was kept over a more stable one
        auto_k = AutoK(chosen=int(model.k_chosen_),
                       stability={str(k): round(float(v), 4) for k, v in (model.k_stability_ or {}).items()},
                       previous=previous_k, kept_previous=bool(model.k_kept_))
    return RunRecord(
        voc_version=__version__, run_id=stable.run_id, previous_run_id=stable.previous_run_id,
        created_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"), options=config.to_dict(),
        input=InputInfo(path=export.path, checksum=export.checksum, encoding=export.encoding,
                        header_row=export.header_row), rows=counts,
        themes=ThemeCounts(n_themes=n_themes, unassigned=int((stable.reported < 0).sum()), auto_k=auto_k),
        timings_s=timer.timings,
    )


def _report_model(config: Config, rows: list[ThemeRow], record: RunRecord, extra: dict[str, Any],
                  stable: StableIds) -> ReportModel:
    from voc.report import ReportModel

    return ReportModel(
        title="voc テーマレポート", input_name=Path(str(config.input.path)).name, themes=rows,
        rows={"read": record.rows.read, "kept": record.rows.kept, "rejected": record.rows.rejected},
        rejected_by_reason=record.rows.rejected_by_reason, n_unassigned=record.themes.unassigned,
        options=record.options, version=record.voc_version, months=extra["months"], changes=extra["changes"],
        run_id=stable.run_id, previous_run_id=stable.previous_run_id, outcomes=dict(record.outcomes or {}),
        dates=dict(record.dates or {}),
    )


def _write(config: Config, report_model: ReportModel, assignments: pd.DataFrame, rejected: pd.DataFrame,
           record: RunRecord) -> Path:
    from voc.report.writer import write_run_folder

    return write_run_folder(config.output.dir, report_model, assignments, rejected, record)


def _themes_frame(rows: list[ThemeRow]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(
        [{"theme_id": r.theme_id, "label": r.label, "size": r.size, "share": r.share, "keywords": list(r.keywords),
          "quotes": list(r.quotes), "status": r.status, "emerging": r.emerging} for r in rows],
        columns=["theme_id", "label", "size", "share", "keywords", "quotes", "status", "emerging"],
    )


def _replace_json(path: Path, record: RunRecord) -> None:
    """Rewrite *path* atomically; a failure only costs the update (the report is already written)."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_text(record.to_json(), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        log.warning("could not update %s (%s); it lacks the render and history timings", path, exc.strerror or exc)
