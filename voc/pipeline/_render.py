"""The pipeline's glue for the label, render and record steps: the report's rows, tables and files.

Plain data in, plain data out; only :mod:`voc.pipeline` calls these, in its order.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from voc.config import Config
from voc.errors import VocError

if TYPE_CHECKING:
    import pandas as pd

    from voc.analysis import ThemeAnalysis
    from voc.history import StableIds
    from voc.insights import InsightTables
    from voc.pipeline import _Timer
    from voc.report.model import ReportModel, ThemeRow
    from voc.report.record import RunRecord
    from voc.themes import ThemeModel

log = logging.getLogger("voc.pipeline")

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
                insights: InsightTables, taxonomy: Any, said: pd.DataFrame) -> list[ThemeRow]:
    """The report's rows, built from the label stage's tables and the insights' (nothing filled in
    place); *said* is the long table of the voice units (the themes mentioned together)."""
    from voc.report.model import SubthemeRow, ThemeRow
    from voc.units import co_themes

    mentions = table["mentions"] if "mentions" in table.columns else table["size"]
    together = co_themes(said, dict(zip(table["theme_id"], table["label"], strict=True)))
    return [
        ThemeRow(theme_id=t.theme_id, label=t.label, size=t.size, share=t.share, keywords=t.keywords,
                 quotes=t.quotes, status=t.status, marketing=taxonomy.marketing(t.theme_id),
                 mentions=int(m), co_themes=together.get(int(t.theme_id), []),
                 quote_records=quotes[t.theme_id], **insights.fields(t.theme_id, 0),
                 subthemes=[SubthemeRow(**e, **insights.fields(e["subtheme_id"], 1))
                            for e in sub_entries.get(t.theme_id, [])])
        for t, m in zip(table.itertuples(index=False), mentions, strict=True)
    ]


def _output_tables(
    kept: pd.DataFrame, units: pd.DataFrame, long: pd.DataFrame, names: dict[int, str], sub_names: dict[int, str] | None,
    export: Any, rejected_parts: list[pd.DataFrame], config: Config,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None]:
    """``assignments.csv``, ``rejected.csv`` and, for statement units, ``mentions.csv``.

    ``assignments.csv``: whole-row units, one line per unit of the long table *long* (``row``, the
    id column when configured, ``theme_id``, ``theme_label`` and, with *sub_names*,
    ``subtheme_id`` and ``subtheme_label``); statement units, one line per kept row with its main
    theme and ``theme_ids`` (:func:`voc.units.main_themes`). ``mentions.csv``: one line per
    statement (:func:`voc.units.mention_table`). ``rejected.csv`` is sorted by row, with the id
    column when configured."""

    from voc.units import main_themes, mention_table

    id_column = config.input.id_column
    id_cols = [id_column] if id_column else []
    mentions = None
    if config.units.unit == "statement":
        assignments = main_themes(long, kept["row"].tolist(), names, sub_names)
        mentions = mention_table(units, long, names, sub_names)
        if id_column:
            ids = kept.set_index("row")[id_column]
            assignments.insert(1, id_column, assignments["row"].map(ids).to_numpy())
            mentions.insert(1, id_column, mentions["row"].map(ids).to_numpy())
    else:
        assignments = long[["row"]].merge(kept[["row", *id_cols]], on="row", how="left", sort=False,
                                          validate="many_to_one")
        assignments["theme_id"] = long["theme_id"].to_numpy()
        assignments["theme_label"] = [names.get(int(t), "未分類") for t in long["theme_id"]]
        if sub_names is not None:
            assignments["subtheme_id"] = long["subtheme_id"].to_numpy()
            assignments["subtheme_label"] = [sub_names.get(int(s), "") for s in long["subtheme_id"]]
    return assignments, _rejected_table(export, rejected_parts, id_column), mentions


def _rejected_table(export: Any, rejected_parts: list[pd.DataFrame], id_column: str | None) -> pd.DataFrame:
    """``rejected.csv``: the rows the read stage rejected and those of *rejected_parts* (window,
    clean), sorted by row: ``row``, the id column when configured, ``reason``, ``detail``."""
    import pandas as pd

    rejected = pd.concat([export.rejected, *rejected_parts], ignore_index=True)
    if id_column and len(rejected):
        ids = export.frame.set_index("row")[id_column]
        rejected.insert(1, id_column, rejected["row"].map(ids).fillna(""))
    return rejected.sort_values("row", kind="stable").reset_index(drop=True)


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
        dates=dict(record.dates or {}), unit=config.units.unit, log=extra.get("log", []),
        excluded_columns=extra.get("excluded", []),
    )


def _write(config: Config, report_model: ReportModel, assignments: pd.DataFrame, rejected: pd.DataFrame,
           record: RunRecord, mentions: pd.DataFrame | None) -> Path:
    from voc.report.writer import write_run_folder

    return write_run_folder(config.output.dir, report_model, assignments, rejected, record, mentions=mentions)


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
