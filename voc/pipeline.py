"""The orchestrator: the only module that knows the order of the stages.

read → clean → tokenize → embed → themes (UMAP + clustering + c-TF-IDF) → label → insights → render.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from voc.config import Config
from voc.errors import ConfigError, VocError

if TYPE_CHECKING:
    import pandas as pd

    from voc.report.model import ReportModel
    from voc.themes import ThemeModel

__all__ = ["ReportResult", "run_report", "fit_themes"]

log = logging.getLogger(__name__)


@dataclass
class ReportResult:
    """What :func:`run_report` produced."""

    out_dir: Path
    run: dict[str, Any]
    themes: pd.DataFrame
    assignments: pd.DataFrame
    rejected: pd.DataFrame
    model: ThemeModel
    report: ReportModel | None = None  # the table model every format was rendered from


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


def _replace_json(path: Path, data: dict[str, Any]) -> None:
    """Rewrite *path* atomically; a failure only costs the update (the report is already written)."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        log.warning("could not update %s (%s); it lacks the render and history timings", path, exc.strerror or exc)


def _auto_k(model: Any, previous_k: int | None) -> dict[str, Any]:
    """run.json's record of an auto-k choice: the k chosen, the stability of every candidate (so a
    scheduled run's log shows how close the call was), the previous run's k and whether it was
    kept over a more stable one (empty when the number of themes was given)."""
    chosen = getattr(model, "k_chosen_", None)
    if chosen is None:
        return {}
    stability = getattr(model, "k_stability_", None) or {}
    return {
        "auto_k": {
            "chosen": int(chosen),
            "stability": {str(k): round(float(v), 4) for k, v in stability.items()},
            "previous": previous_k,
            "kept_previous": bool(getattr(model, "k_kept_", False)),
        }
    }


def fit_themes(
    texts: list[str],
    config: Config,
    *,
    progress: bool = False,
    timer: _Timer | None = None,
    seed_words: list[list[str]] | None = None,
    previous_k: int | None = None,
    tokens: list[list[str]] | None = None,
    tokenizer: Any | None = None,
) -> tuple[ThemeModel, list[list[str]], Any]:
    """Tokenize once, embed and fit a :class:`~voc.themes.ThemeModel` on cleaned *texts*.

    *previous_k*: in auto mode, the number of themes of the last comparable run, kept unless
    another k is clearly more stable (:func:`voc.autok.choose_k`). *tokens*: the texts' tokens by
    *tokenizer* (a :class:`voc.tokenize.Tokenizer`, default ``Tokenizer()``), when the caller has
    them (``voc report`` gets them from the clean stage); otherwise they are computed here.

    Returns the fitted model, the tokens and the embeddings (reused for labels and quotes).
    """
    timer = timer or _Timer()
    model, tokens, embeddings = _fit_themes(
        texts, config, progress=progress, timer=timer, seed_words=seed_words, previous_k=previous_k,
        tokens=tokens, tokenizer=tokenizer,
    )
    # Whatever the path (one machine, sample + assign, Dask), the theme step's inner timings go to the run.
    timer.timings["themes.reduce"] = round(model.timings_["reduce"], 3)
    timer.timings["themes.cluster"] = round(model.timings_["cluster"], 3)
    return model, tokens, embeddings


def _fit_themes(
    texts: list[str],
    config: Config,
    *,
    progress: bool,
    timer: _Timer,
    seed_words: list[list[str]] | None,
    previous_k: int | None,
    tokens: list[list[str]] | None = None,
    tokenizer: Any | None = None,
) -> tuple[ThemeModel, list[list[str]], Any]:
    from voc.embed import make_embedder
    from voc.themes import ThemeModel
    from voc.tokenize import Tokenizer

    tokenizer = tokenizer if tokenizer is not None else Tokenizer()
    if config.dask:  # a Dask cluster: voc.distributed
        from voc.distributed import fit_themes_dask

        return fit_themes_dask(
            texts, config, tokenizer=tokenizer, seed_words=seed_words, timer=timer, progress=progress,
            previous_k=previous_k,
        )
    if tokens is None:
        with timer.stage("tokenize"):
            from voc.parallel import tokenize_parallel

            tokens = tokenize_parallel(tokenizer, texts, config.n_jobs, progress=progress)
    elif len(tokens) != len(texts):
        raise ValueError(f"{len(tokens)} token lists for {len(texts)} texts")
    if config.fit_sample and len(texts) > config.fit_sample:  # large corpus: voc.scale
        from voc.scale import fit_themes_on_sample

        return fit_themes_on_sample(
            texts, tokens, config, tokenizer=tokenizer, seed_words=seed_words, timer=timer, progress=progress,
            previous_k=previous_k,
        )
    with timer.stage("embed"):
        embedder = make_embedder(config.embedding, random_state=config.seed)
        embeddings = embedder.fit_transform(texts, tokens)
    model = ThemeModel.from_config(config, tokenizer=tokenizer, seed_words=seed_words, previous_k=previous_k)
    with timer.stage("themes"):
        model.fit(texts, tokens=tokens, embeddings=embeddings, embedder=embedder, progress=progress)
    return model, tokens, embeddings


def run_report(config: Config, *, progress: bool = False) -> ReportResult:
    """Run the whole report for *config* and write it to ``config.out_dir``.

    Holds a lock on the output folder and the run history for the whole run (:mod:`voc._lock`): a
    second run on the same output or history fails at once with :class:`~voc._lock.LockedError`
    instead of interleaving writes.
    """
    from voc._lock import run_lock
    from voc.enrich import history_path

    with run_lock(config.out_dir, history_path(config) if config.history else None):
        return _run_report(config, progress=progress)


def _run_report(config: Config, *, progress: bool = False) -> ReportResult:
    """:func:`run_report` without the lock.

    Every data row of the input ends up either in ``assignments.csv`` or in ``rejected.csv`` (and
    counted in ``run.json``).
    """
    import numpy as np
    import pandas as pd

    from voc import __version__
    from voc.insights import theme_sizes
    from voc.io import read_export
    from voc.label import distinct_keywords, label_from_keywords, representative_quotes, written_keywords
    from voc.report import ReportModel, ThemeRow, write_report

    if not config.path:
        raise ConfigError("no input file: pass INPUT or set [input] path in the config")
    if not config.text_columns:
        raise ConfigError("no text column: pass --text-column COL or set [input] text_columns")
    timer = _Timer()
    required = [c for c in (config.id_column, config.date_column, config.outcome_column) if c]
    required += list(config.segment_columns)
    with timer.stage("read"):
        export = read_export(
            config.path,
            text_columns=config.text_columns,
            required_columns=required,
            encoding=config.encoding,
            sheet=config.sheet,
            max_input_mb=config.max_input_mb,
        )
    from voc.enrich import (
        add_insights,
        filter_window,
        load_run_taxonomy,
        previous_auto_k,
        record_run,
        stable_theme_ids,
    )

    in_window, rejected_window = filter_window(export.frame, config.date_column, config.since, config.until)
    taxonomy = load_run_taxonomy(config)
    from voc.tokenize import Tokenizer

    tokenizer = Tokenizer()
    # The clean stage tokenizes too (one MeCab parse per note serves name masking and the tokens,
    # voc.clean): run.json then has no "tokenize" stage. On Dask the cluster tokenizes later.
    with timer.stage("clean"):
        from voc.parallel import clean_parallel

        if config.dask:
            from voc.distributed import clean_dask, connect

            kept, rejected_clean = clean_dask(
                connect(config.dask), in_window, config.text_columns,
                mask=config.mask_pii, max_text_chars=config.max_text_chars,
            )
        else:
            kept, rejected_clean = clean_parallel(
                in_window, config.text_columns, config.n_jobs, mask=config.mask_pii,
                max_text_chars=config.max_text_chars, tokenizer=tokenizer, progress=progress,
            )
    if len(kept) == 0:
        from voc.errors import InputError

        reasons = dict(sorted(pd.concat([export.rejected, rejected_clean])["reason"].value_counts().items()))
        raise InputError(
            f"no row left to analyse: {export.n_read} data rows read, rejected: {reasons or 'none'}",
            path=export.path,
            hint="check that the export has data rows and that --text-column names the free-text column",
        )
    texts = kept["text"].tolist()
    clean_tokens = kept.pop("tokens").tolist() if "tokens" in kept.columns else None
    with timer.stage("match"):  # the run history's first open (DuckDB) costs ~1 s: count it where it belongs
        previous_k = previous_auto_k(config)
    model, tokens, embeddings = fit_themes(
        texts, config, progress=progress, timer=timer, seed_words=taxonomy.seed_topic_list(), previous_k=previous_k,
        tokens=clean_tokens, tokenizer=tokenizer,
    )
    with timer.stage("match"):
        stable = stable_theme_ids(config, model.labels_, tokens, model.keywords_, taxonomy)
    labels = stable.reported  # stable ids, after taxonomy merges

    with timer.stage("label"):
        theme_label: dict[int, str] = {}
        rows: list[ThemeRow] = []
        assign = pd.DataFrame({"row": kept["row"].to_numpy(), "theme_id": labels})
        sizes = theme_sizes(assign)
        # keywords as the notes spell them (タダ, not UniDic's 只): the reported themes' and, for
        # the history, those of each fitted theme before taxonomy merges
        keyword_lists = [*stable.keywords.values(), *stable.themes["keywords"]]
        written = written_keywords(dict(enumerate(keyword_lists)), texts, tokens, model.tokenizer_)
        for theme_id, size, share in sizes.itertuples(index=False):
            words = [written.get(w, w) for w in stable.keywords.get(int(theme_id), [])]
            label = stable.label(int(theme_id), label_from_keywords(words))
            theme_label[int(theme_id)] = label
            members = np.flatnonzero(labels == theme_id)
            member_texts = [texts[i] for i in members]
            picks = representative_quotes(member_texts, embeddings[members], n=5)
            rows.append(
                ThemeRow(
                    theme_id=int(theme_id),
                    label=label,
                    size=int(size),
                    share=float(share),
                    keywords=distinct_keywords(words, 8),
                    quotes=[member_texts[i] for i in picks],
                )
            )
    with timer.stage("insights"):
        extra = add_insights(rows, kept, in_window, labels, embeddings, config, stable)
    with timer.stage("render"):
        id_cols = [config.id_column] if config.id_column else []
        assignments = kept[["row", *id_cols]].copy()
        assignments["theme_id"] = labels
        assignments["theme_label"] = [theme_label.get(int(t), "未分類") for t in labels]
        rejected = pd.concat([export.rejected, rejected_window, rejected_clean], ignore_index=True)
        if id_cols and len(rejected):
            ids = export.frame.set_index("row")[config.id_column]
            rejected.insert(1, config.id_column, rejected["row"].map(ids).fillna(""))
        rejected = rejected.sort_values("row", kind="stable").reset_index(drop=True)
        by_reason = {str(k): int(v) for k, v in rejected["reason"].value_counts().sort_index().items()}
        counts = {"read": export.n_read, "kept": len(kept), "rejected": len(rejected)}
        if counts["read"] != counts["kept"] + counts["rejected"]:  # pragma: no cover - a bug if it happens
            raise VocError(f"row accounting does not add up: {counts}; please report this")
        n_unassigned = int((labels < 0).sum())
        report_model = ReportModel(
            title="voc テーマレポート",
            input_name=Path(config.path).name,
            themes=rows,
            rows=counts,
            rejected_by_reason=by_reason,
            n_unassigned=n_unassigned,
            options=config.to_dict(),
            version=__version__,
            months=extra["months"],
            changes=extra["changes"],
            run_id=stable.run_id,
            previous_run_id=stable.previous_run_id,
        )
        run = {
            "voc_version": __version__,
            "run_id": stable.run_id,
            "previous_run_id": stable.previous_run_id,
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "options": config.to_dict(),
            "input": {"path": export.path, "checksum": export.checksum, "encoding": export.encoding},
            "rows": {**counts, "rejected_by_reason": by_reason, "truncated": int(kept["truncated"].sum())},
            "themes": {"n_themes": len(rows), "unassigned": n_unassigned, **_auto_k(model, previous_k)},
            "timings_s": timer.timings,
        }
        out = write_report(config.out_dir, report_model, assignments, rejected, run)
    with timer.stage("history"):
        record_run(config, stable, run, rows, assignments, written)
    run["timings_s"] = timer.timings
    # run.json was written during the render stage: complete its timings with that stage and the
    # history's (replaced atomically, so a reader never sees half a file)
    _replace_json(Path(out) / "run.json", run)
    themes = pd.DataFrame(report_model.theme_records())
    log.info("report written to %s", out)
    return ReportResult(out_dir=out, run=run, themes=themes, assignments=assignments, rejected=rejected, model=model, report=report_model)
