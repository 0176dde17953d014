"""The ``voc`` command: a thin layer over :mod:`voc.pipeline`.

Exit codes: 0 success, 2 bad input or configuration, 1 anything else.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import click

from voc import __version__
from voc._cli_options import config_options  # click + stdlib-only voc.config: --help stays fast
from voc.types import Clustering, Reduction, choices

__all__ = ["main", "cli"]

log = logging.getLogger("voc")

#: The config sections `voc check` takes (what reading and cleaning depend on).
CHECK_SECTIONS = ("input", "clean", "units")
#: Rejected rows `voc check` prints.
CHECK_SHOWN = 10


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
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="TOML config file (docs/configuration.md); options given here override it.")
@config_options
def report(config_path: str | None, **options: Any) -> None:
    """Find themes in INPUT (CSV, TSV, XLSX or Parquet) and write a report folder.

    The folder gets index.html (Japanese theme browser), summary.md, themes.xlsx, themes.csv,
    subthemes.csv, assignments.csv, rejected.csv and run.json. Every config key has an option here (each option's
    help names its [section] key); options override the config file.

    \b
    Example:
      voc report export.csv --text-column call_note --text-column lost_reason --id-column deal_id
      voc report export.csv --text-column 失注理由 --date-column 完了予定日 --outcome-column フェーズ
      voc report --config voc.toml
    """
    try:
        from voc._cli_options import overrides
        from voc.config import Config, load_config
        from voc.pipeline import run_report

        config = load_config(config_path) if config_path else Config()
        config = config.override(overrides(options))
        result = run_report(config, progress=sys.stderr.isatty())
    except Exception as exc:  # noqa: BLE001 - mapped to exit codes
        _fail(exc)
        return
    rows = result.run.rows
    click.echo(
        f"{rows.read:,} rows read, {rows.kept:,} analysed, {rows.rejected:,} rejected; "
        f"{result.run.themes.n_themes} themes",
        err=True,
    )
    if result.run.outcomes:
        click.echo(_outcome_line(result.run.outcomes), err=True)
    click.echo(str(result.out_dir / "index.html"))


@cli.command()
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="TOML config file, the one `voc report` takes; options given here override it.")
@click.option("--rejected", "rejected_path", type=click.Path(dir_okay=False),
              help="Write the rejected rows (row, id, reason, detail), as the report's rejected.csv, to this file.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: the counts and the first rejected rows; json: the counts as one JSON object.")
@config_options(sections=CHECK_SECTIONS)
def check(config_path: str | None, rejected_path: str | None, fmt: str, **options: Any) -> None:
    """Read and clean INPUT as `voc report` would, without fitting themes: which rows a report
    would analyse, which it would reject and why.

    Exit 0 when the export can be analysed (read = kept + rejected, each rejected row with a
    reason); exit 2 with a message naming the file and the line, row or column when it cannot.
    Takes `voc report`'s [input], [clean] and [units] options and its --config.

    \b
    Example:
      voc check export.csv --text-column 失注理由 --id-column 商談ID --rejected rejected.csv
      voc check --config voc.toml --format json
    """
    try:
        from voc._cli_options import overrides
        from voc.config import Config, load_config
        from voc.pipeline import check_export

        config = load_config(config_path) if config_path else Config()
        result = check_export(config.override(overrides(options)), progress=sys.stderr.isatty())
        if rejected_path:
            from pathlib import Path

            from voc.report import csv_bytes

            Path(rejected_path).write_bytes(csv_bytes(result.rejected))
    except Exception as exc:  # noqa: BLE001 - mapped to exit codes
        _fail(exc)
        return
    counts = result.counts()
    if fmt == "json":
        import json

        click.echo(json.dumps(counts, ensure_ascii=False))
        return
    by_reason = ", ".join(f"{r} {n:,}" for r, n in counts["rejected_by_reason"].items())
    click.echo(f"{result.path}: {result.read:,} rows read, {result.kept:,} kept, {len(result.rejected):,} rejected"
               + (f" ({by_reason})" if by_reason else "") + f"; encoding {result.encoding}")
    if result.units is not None:
        click.echo(f"statements: {result.units:,} ({result.voice:,} the customer's, "
                   f"{result.units - (result.voice or 0):,} the rep's log)")
    if result.dates is not None:
        d = result.dates
        bad = f", {d['n_unparsed']:,} not a date (e.g. {', '.join(repr(e) for e in d['examples'][:3])})" \
            if d["n_unparsed"] else ""
        click.echo(f"{d['column']}: {d['n_dates']:,} dates read{bad}")
    if result.outcomes is not None:
        click.echo(_outcome_line(result.outcomes))
    for r in result.rejected.head(CHECK_SHOWN).to_dict("records"):
        click.echo(f"  row {r['row']}: {r['reason']}: {r['detail']}")
    if len(result.rejected) > CHECK_SHOWN:
        click.echo(f"  … {len(result.rejected) - CHECK_SHOWN:,} more" + ("" if rejected_path else "; --rejected FILE writes them all"))


def _outcome_line(o: dict[str, Any]) -> str:
    """``stage: 1 won, 2 lost, 1 open; not recognised, counted as open: 商談中`` from ``run.json``'s outcomes."""
    c, unknown = o["counts"], o["unmapped"]
    note = f"; not recognised, counted as open: {', '.join(unknown[:5])}" if unknown else ""
    return f"{o['column']}: {c['won']:,} won, {c['lost']:,} lost, {c['open']:,} open{note}"


def _default_lang() -> str:
    """``ja`` when the locale is Japanese (LC_ALL, LC_MESSAGES or LANG), else ``en``."""
    import os

    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if os.environ.get(var):
            return "ja" if os.environ[var].lower().startswith("ja") else "en"
    return "en"


@cli.command()
@click.argument("input_path", metavar="FILE", type=click.Path(dir_okay=False))
@click.option("--write-config", "config_out", type=click.Path(dir_okay=False),
              help="Write a commented config (TOML) from the guesses, for `voc report --config`.")
@click.option("--force", is_flag=True, help="With --write-config: replace an existing file.")
@click.option("--lang", type=click.Choice(["ja", "en"]), help="Output language (default: ja in a Japanese locale, else en).")
@click.option("--encoding", default="auto", show_default=True, help="Input encoding: auto (detected), utf-8, cp932, utf-16 …")
@click.option("--sheet", default="0", show_default=True, help="XLSX only: sheet name or 0-based index.")
@click.option("--header-row", type=click.IntRange(min=1), help="Row number of the column names (default: found).")
def inspect(input_path: str, config_out: str | None, force: bool, lang: str | None, encoding: str, sheet: str,
            header_row: int | None) -> None:
    """Show what each column of FILE holds and which role it could play in a report.

    Per column: type (free text, date, category, number, id), fill rate, distinct values,
    examples and the guessed role: the free-text columns to analyse, the date column, the
    outcome column with how its values are read (won / lost / open), segments, competitor and
    id columns. With --write-config, writes those guesses as a config to check and run.

    \b
    Example:
      voc inspect export.csv
      voc inspect export.csv --write-config voc.toml && voc report --config voc.toml
      voc inspect report.xlsx --sheet 商談 --lang en
    """
    try:
        from pathlib import Path

        from voc.errors import ConfigError
        from voc.inspect import inspect_export, render, write_config

        if config_out and Path(config_out).exists() and not force:
            raise ConfigError(f"{config_out} exists; pass --force to replace it, or name another file")
        profile = inspect_export(input_path, encoding=encoding, sheet=int(sheet) if sheet.isdigit() else sheet,
                                 header_row=header_row)
        click.echo(render(profile, lang or _default_lang()), nl=False)  # type: ignore[arg-type]
        if config_out:
            written = write_config(config_out, profile)
            click.echo(f"config written to {written}; check it, then: voc report --config {written}", err=True)
    except Exception as exc:  # noqa: BLE001 - mapped to exit codes
        _fail(exc)


@cli.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(dir_okay=False))
@click.option("--text-column", required=True, help="Column with the texts.")
@click.option("--label-column", required=True, help="Column with the gold label of each text.")
@click.option("--sublabel-column", help="Column with a finer gold label (e.g. the leaves under each label): score "
              "voc's (theme, sub-theme) pairs against it, next to a flat fit at that many themes.")
@click.option("--label-file", type=click.Path(dir_okay=False), help="Read the label (and sub-label) column from this file (same row order).")
@click.option("--ignore-label", multiple=True, help="Drop rows with this label (repeatable), e.g. none; with --unlabeled fit they are fitted, not scored.")
@click.option("--unlabeled", type=click.Choice(["drop", "fit"]), default="drop", show_default=True,
              help="Rows with a blank (or ignored) label: leave out, or fit themes on them too and score "
                   "the labeled rows only (a hand-labeled sample of an export).")
@click.option("--n-themes", help="Number of themes or 'auto'; comma-separated to compare, e.g. 40,60 (default: the number of distinct labels).")
@click.option("--seeds", default="0,1,2", show_default=True, help="Comma-separated seeds.")
@click.option("--embedding", help="Embedding backend(s), comma-separated to compare (default: configured).")
@click.option("--reduction", help=f"{' or '.join(choices(Reduction))}; comma-separated to compare both (default: configured).")
@click.option("--clustering", help=f"{', '.join(choices(Clustering))}; comma-separated to compare (default: configured).")
@click.option("--no-baselines", is_flag=True, help="Skip TF-IDF+k-means, TF-IDF+NMF and LDA.")
@click.option("--supervised", is_flag=True,
              help="Also report a classifier told the labels (5-fold cross-validated): how far the representation separates them at all.")
@click.option("--sample", type=int, help="Evaluate on N rows drawn at random (seed 0) instead of all.")
@click.option("--jobs", type=int, default=1, show_default=True, help="Fit the seeds in this many processes.")
@click.option("--unit", type=click.Choice(["statement", "row"]),
              help="What gets a theme: each statement of a text (as voc report) or the whole text; scores each text "
                   "by the set of its themes (default: row for one label per text, statement for label sets).")
@click.option("--label-sep", default="|", show_default=True,
              help="Joins several labels in one cell (a|b): the text is about each of them.")
@click.option("--statements-file", type=click.Path(dir_okay=False),
              help="Gold statements (row, start, end, label) as python -m bench.composite writes them: "
                   "adds statement NMI/ARI and segmentation.")
@click.option("--out", "out_prefix", type=click.Path(dir_okay=False), help="Write OUT.csv and OUT.md.")
def evaluate(input_path: str, **options: Any) -> None:
    """Measure theme quality on labeled texts: NMI, ARI, V-measure, coherence, names, stability.

    Fits themes for each seed and, on the same tokens, three baselines (and with --supervised a
    cross-validated classifier as an upper reference); measures the themes' phrase names
    (grounded, fragments, distinct); with --sublabel-column scores the sub-themes against finer
    labels; prints a Markdown table (per seed and mean) and with --out writes it as CSV and Markdown.
    With label sets (a|b) or --unit statement, scores each text by the set of its themes: topic
    recall and precision against the one-theme-per-text ceiling.

    \b
    Example:
      voc evaluate ../shared/data/livedoor_titles.csv --text-column text --label-column label
      voc evaluate corpus/sample_crm_export.csv --text-column lost_reason \\
        --label-file corpus/sample_crm_export.truth.csv --label-column lost_reason_theme --ignore-label none
      voc evaluate ../shared/data/asdc_food_subtopics.csv --text-column text --label-column top \\
        --sublabel-column label --n-themes 14 --no-baselines
      voc evaluate /tmp/composite/livedoor_titles.composite.csv --text-column text --label-column label \\
        --statements-file /tmp/composite/livedoor_titles.statements.csv --unit statement
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
        from voc.history import RunStore
        from voc.history import history_path as default_history_path

        config = load_config(config_path) if config_path else Config()
        path = history_path or str(default_history_path(config.history.path, config.output.dir))
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
                    from voc.errors import ConfigError

                    raise ConfigError(f"theme {theme_id} is in no run of {path}; `voc history --run latest` lists ids")
            else:
                frame = store.summary()
    except Exception as exc:  # noqa: BLE001 - mapped to exit codes
        _fail(exc)
        return
    if fmt == "csv":
        from voc.report import csv_text

        click.echo(csv_text(frame), nl=False)
    elif fmt == "json":
        click.echo(frame.to_json(orient="records", force_ascii=False, date_format="iso"))
    else:
        click.echo(frame.to_string(index=False) if len(frame) else "(no runs)")


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``voc`` console script: run ``voc ARGV`` (default: the command line) and
    exit with its code (:class:`SystemExit`; tests call it in-process)."""
    cli.main(args=argv, prog_name="voc")


if __name__ == "__main__":  # pragma: no cover
    main()
