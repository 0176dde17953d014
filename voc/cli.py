"""The ``voc`` command: a thin layer over :mod:`voc.pipeline`.

Exit codes: 0 success, 2 bad input or configuration, 1 anything else.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import click

from voc import __version__
from voc.config import CLUSTERINGS, REDUCTIONS  # stdlib-only module: --help stays fast

__all__ = ["main", "cli"]

log = logging.getLogger("voc")


def _setup_logging(verbose: int, quiet: bool, log_file: str | None) -> None:
    level = logging.WARNING if quiet else (logging.DEBUG if verbose > 1 else logging.INFO)
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_file:
        handlers.append(logging.FileHandler(log_file, encoding="utf-8"))
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s", handlers=handlers, force=True
    )
    logging.getLogger("voc").setLevel(level)


def _fail(exc: BaseException) -> None:
    from voc.errors import VocError

    if isinstance(exc, VocError):
        click.echo(f"voc: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    log.exception("unexpected error")
    click.echo(f"voc: unexpected error: {type(exc).__name__}: {exc}", err=True)
    sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="voc")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only warnings and errors.")
@click.option("--log-file", type=click.Path(dir_okay=False), help="Also write the log to this file.")
def cli(verbose: int, quiet: bool, log_file: str | None) -> None:
    """voc: themes from Japanese sales notes and lost-deal reasons (失注理由).

    \b
    Example:
      voc report corpus/sample_crm_export.csv --text-column lost_reason --out reports/latest
    """
    _setup_logging(verbose, quiet, log_file)


@cli.command()
@click.argument("input_path", metavar="INPUT", required=False, type=click.Path(dir_okay=False))
@click.option("--text-column", "text_columns", multiple=True, help="Text column (repeat to join several).")
@click.option("--id-column", help="Column with the deal/record id, copied to assignments.csv.")
@click.option("--n-themes", help="Number of themes, or 'auto' (default).")
@click.option("--seed", type=int, help="Random seed (default 42): same input + seed = same themes.")
@click.option("--embedding", help="Embedding backend: lsa+chive (default), lsa, lsa-char, chive, lsa-char+chive.")
@click.option(
    "--clustering",
    type=click.Choice(CLUSTERINGS),
    help="How texts are grouped: consensus-em (default), consensus, em, kmeans (fastest).",
)
@click.option("--reduction", type=click.Choice(REDUCTIONS), help="Reduce embeddings with UMAP first (default none).")
@click.option("--encoding", help="Input encoding (default: detected). E.g. utf-8, cp932, utf-16.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="Output folder (default reports/latest).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="TOML config file (see README).")
@click.option("--no-mask-pii", is_flag=True, default=False, help="Do not mask e-mails, phone numbers, URLs.")
@click.option("--since", metavar="DATE", help="Only rows whose date column is on or after DATE (YYYY-MM-DD).")
@click.option("--until", metavar="DATE", help="Only rows whose date column is on or before DATE (YYYY-MM-DD).")
@click.option("--n-jobs", type=int, help="Processes for cleaning and tokenizing, threads for the theme fit's k-means runs (default -1: one per core; results do not depend on it).")
@click.option("--fit-sample", type=int, help="Fit themes on a stratified sample this big, assign the rest (default 10000; 0: all).")
@click.option("--dask", metavar="ADDRESS", help="Run on a Dask cluster, e.g. tcp://host:8786 (pip install 'voc[dask]').")
def report(input_path: str | None, config_path: str | None, no_mask_pii: bool, **options: Any) -> None:
    """Find themes in INPUT (CSV, TSV, XLSX or Parquet) and write a report folder.

    The folder gets index.html (Japanese overview), summary.md, themes.csv, assignments.csv,
    rejected.csv and run.json. Options override the config file.

    \b
    Example:
      voc report export.csv --text-column call_note --text-column lost_reason --id-column deal_id
      voc report --config voc.toml
    """
    try:
        from voc.config import Config, load_config
        from voc.pipeline import run_report

        config = load_config(config_path) if config_path else Config()
        config = config.replace(path=input_path, mask_pii=False if no_mask_pii else None, **options)
        result = run_report(config, progress=sys.stderr.isatty())
    except Exception as exc:  # noqa: BLE001 - mapped to exit codes
        _fail(exc)
        return
    rows = result.run["rows"]
    click.echo(
        f"{rows['read']:,} rows read, {rows['kept']:,} analysed, {rows['rejected']:,} rejected; "
        f"{result.run['themes']['n_themes']} themes",
        err=True,
    )
    click.echo(str(result.out_dir / "index.html"))


@cli.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(dir_okay=False))
@click.option("--text-column", required=True, help="Column with the texts.")
@click.option("--label-column", required=True, help="Column with the gold label of each text.")
@click.option("--label-file", type=click.Path(dir_okay=False), help="Read the label column from this file (same row order).")
@click.option("--ignore-label", multiple=True, help="Drop rows with this label (repeatable), e.g. none; with --unlabeled fit they are fitted, not scored.")
@click.option("--unlabeled", type=click.Choice(["drop", "fit"]), default="drop", show_default=True,
              help="Rows with a blank (or ignored) label: leave out, or fit themes on them too and score "
                   "the labeled rows only (a hand-labeled sample of an export).")
@click.option("--n-themes", help="Number of themes or 'auto'; comma-separated to compare, e.g. 40,60 (default: the number of distinct labels).")
@click.option("--seeds", default="0,1,2", show_default=True, help="Comma-separated seeds.")
@click.option("--embedding", help="Embedding backend(s), comma-separated to compare (default: configured).")
@click.option("--reduction", help="none or umap; 'none,umap' compares both (default: configured).")
@click.option("--clustering", help="consensus-em, consensus, em or kmeans; comma-separated to compare (default: configured).")
@click.option("--no-baselines", is_flag=True, help="Skip TF-IDF+k-means, TF-IDF+NMF and LDA.")
@click.option("--supervised", is_flag=True,
              help="Also report a classifier told the labels (5-fold cross-validated): how far the representation separates them at all.")
@click.option("--sample", type=int, help="Evaluate on N rows drawn at random (seed 0) instead of all.")
@click.option("--jobs", type=int, default=1, show_default=True, help="Fit the seeds in this many processes.")
@click.option("--out", "out_prefix", type=click.Path(dir_okay=False), help="Write OUT.csv and OUT.md.")
def evaluate(input_path: str, **options: Any) -> None:
    """Measure theme quality on labeled texts: NMI, ARI, V-measure, coherence, stability.

    Fits themes for each seed and, on the same tokens, three baselines (and with --supervised a
    cross-validated classifier as an upper reference); prints a Markdown table (per seed and
    mean) and with --out writes it as CSV and Markdown.

    \b
    Example:
      voc evaluate ../shared/data/livedoor_titles.csv --text-column text --label-column label
      voc evaluate corpus/sample_crm_export.csv --text-column lost_reason \\
        --label-file corpus/sample_crm_export.truth.csv --label-column lost_reason_theme --ignore-label none
    """
    try:
        from voc.evaluate import run_evaluate

        result = run_evaluate(input_path, **options)
    except Exception as exc:  # noqa: BLE001 - mapped to exit codes
        _fail(exc)
        return
    click.echo(result.summary() + "\n")
    click.echo(result.to_markdown(), nl=False)


@cli.command()
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="TOML config: use its [history] path.")
@click.option("--history", "history_path", type=click.Path(dir_okay=False),
              help="History file (default: [history] path of --config, else reports/history.duckdb).")
@click.option("--run", "run_id", help="Show the themes of this run: an id, a unique prefix, or 'latest'.")
@click.option("--theme", "theme_id", type=int, help="Show this theme's size and share in every run.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
def history(config_path: str | None, history_path: str | None, run_id: str | None, theme_id: int | None, fmt: str) -> None:
    """List past runs of `voc report` from the run history (DuckDB).

    Without options: one line per run (time, window, rows, themes, new themes, input checksum).

    \b
    Example:
      voc history --config voc.toml
      voc history --history reports/history.duckdb --run latest
      voc history --theme 3 --format csv
    """
    try:
        from voc.config import Config, load_config
        from voc.enrich import history_path as default_history_path
        from voc.store import RunStore

        config = load_config(config_path) if config_path else Config()
        path = history_path or str(default_history_path(config))
        with RunStore(path, read_only=True) as store:
            if run_id:
                rid = store.resolve_run(run_id)
                themes = store.themes(rid)
                frame = themes[["theme_id", "reported_as", "label", "size", "share", "status", "keywords"]]
                # as the notes spell them where the run recorded that (schema 4), else the tokens
                shown = [w or k for w, k in zip(themes["written_keywords"], themes["keywords"], strict=True)]
                frame = frame.assign(keywords=["、".join(k[:6]) for k in shown])
            elif theme_id is not None:
                shares = store.theme_shares()
                frame = shares[shares["theme_id"] == theme_id]
                if frame.empty:
                    from voc.errors import VocError

                    raise VocError(f"theme {theme_id} is in no run of {path}; `voc history --run latest` lists ids")
            else:
                frame = store.summary()
    except Exception as exc:  # noqa: BLE001 - mapped to exit codes
        _fail(exc)
        return
    if fmt == "csv":
        click.echo(frame.to_csv(index=False, lineterminator="\n"), nl=False)
    elif fmt == "json":
        click.echo(frame.to_json(orient="records", force_ascii=False, date_format="iso"))
    else:
        click.echo(frame.to_string(index=False) if len(frame) else "(no runs)")


def main() -> None:
    """Entry point of the ``voc`` console script."""
    cli(prog_name="voc")


if __name__ == "__main__":  # pragma: no cover
    main()
