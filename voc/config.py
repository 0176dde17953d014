"""Run configuration: one dataclass per TOML section, validated once at load.

A config file says everything a scheduled run needs; ``voc report`` options override it. The
sections and keys are the fields of the dataclasses below; ``docs/configuration.md`` is generated
from them (:func:`reference_markdown`) and a test keeps it current. Example::

    [input]
    path = "exports/crm.csv"          # relative paths are resolved against the config file
    text_columns = ["call_note", "lost_reason"]
    id_column = "deal_id"
    date_column = "closed_date"
    outcome_column = "outcome"

    [model]
    n_themes = "auto"                 # or an integer ≥ 2

Every value is checked when the file is read (:func:`load_config`): an unknown section or key, a
value of the wrong type, or an option outside its allowed values fails with a
:class:`~voc.errors.ConfigError` naming the file, the section and the key, before the export is read.
Lower stages never see a :class:`Config`: :mod:`voc.pipeline` hands them plain parameters.
"""

from __future__ import annotations

import dataclasses
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

from voc.errors import ConfigError
from voc.types import Clustering, Naming, NThemes, PiiKind, Reduction, parse_n_themes

__all__ = [
    "Config", "InputConfig", "ModelConfig", "CleanConfig", "OutputConfig", "HistoryConfig", "TaxonomyConfig",
    "InsightsConfig", "ScaleConfig", "UnitsConfig", "load_config", "parse_n_themes", "SECTIONS", "reference_markdown",
]


def _opt(default: Any, help: str, *, minimum: float | None = None, maximum: float | None = None,
         path: bool = False, factory: Any = None) -> Any:
    """A config field: its default, its help (CLI and docs) and its bounds."""
    meta = {"help": help, "min": minimum, "max": maximum, "path": path}
    if factory is not None:
        return field(default_factory=factory, metadata=meta)
    return field(default=default, metadata=meta)


@dataclass
class InputConfig:
    """``[input]``: the export and its columns."""

    path: str | None = _opt(None, "The export to read (CSV, TSV, XLSX or Parquet).", path=True)
    text_columns: list[str] = _opt(None, "Free-text columns to analyse, joined per row.", factory=list)
    id_column: str | None = _opt(None, "Deal or record id, copied to assignments.csv and rejected.csv.")
    date_column: str | None = _opt(None, "Date of each row: monthly trends, emerging themes, since/until.")
    outcome_column: str | None = _opt(None, "Deal outcome (フェーズ, 取引ステージ, Status …): win rate per theme; its "
                                      "values are read as won, lost or open (won_values, lost_values).")
    segment_columns: list[str] = _opt(None, "Columns to cut themes by (industry, size, region, rep …).", factory=list)
    competitor_column: str | None = _opt(None, "Competitor named on the deal: co-mentions per theme.")
    encoding: str = _opt("auto", "Input encoding: auto (detected), utf-8, utf-8-sig, cp932, utf-16 …")
    sheet: str | int = _opt(0, "XLSX only: sheet name or 0-based index.")
    header_row: int | None = _opt(None, "Row number of the column names (1 = the first row of the file); default: the "
                                  "first of the first 20 rows that holds the configured columns.", minimum=1)
    won_values: list[str] = _opt(None, "Outcome values that mean won, added to the built-in words (受注, 成約, 成立, "
                                 "Closed Won, closedwon, Won …; voc.read.outcomes).", factory=list)
    lost_values: list[str] = _opt(None, "Outcome values that mean lost, added to the built-in words (失注, 不成約, "
                                  "不成立, Closed Lost, closedlost, Lost …).", factory=list)
    open_values: list[str] = _opt(None, "Outcome values of deals still open (進行中, 商談中, Open …); values no word "
                                  "matches count as open too, and the report lists them.", factory=list)
    max_input_mb: float | None = _opt(500.0, "Refuse larger files (raise it if you have the memory).", minimum=0)
    max_sheet_mb: float | None = _opt(1000.0, "XLSX: refuse a workbook that unzips to more MB (a zip bomb; SECURITY.md).",
                                      minimum=0)
    max_cell_mb: float | None = _opt(10.0, "XLSX: refuse a workbook with a cell of more MB (Excel's cells hold "
                                     "32,767 characters at most).", minimum=0)
    since: str | None = _opt(None, "Only rows dated on or after this day (YYYY-MM-DD, on date_column).")
    until: str | None = _opt(None, "Only rows dated on or before this day (YYYY-MM-DD, on date_column).")


@dataclass
class ModelConfig:
    """``[model]``: how themes are found."""

    n_themes: NThemes = _opt("auto", "Number of themes, or auto (the most stable k for the corpus size).")
    seed: int = _opt(42, "Random seed: the same input, config and seed give the same themes.")
    embedding: str = _opt("lsa+chive", "Embedding backend: lsa+chive, lsa, lsa-char, chive, lsa-char+chive, "
                          "or sentence-transformers:/path/to/model.")
    clustering: Clustering = _opt("consensus-em", "How texts are grouped (kmeans is fastest, least stable).")
    consensus_runs: int = _opt(30, "k-means runs behind the consensus (60: steadier themes, slower).", minimum=2)
    auto_k_margin: float = _opt(0.1, "Auto mode with history: keep the last run's k unless another is this much "
                                "more stable.", minimum=0)
    reduction: Reduction = _opt("none", "Reduce the embeddings with UMAP before clustering.")
    naming: Naming = _opt("phrases", "Name themes and sub-themes by phrases customers wrote (食べ放題, "
                          "初期費用が高い), or by their top keywords joined.")
    subthemes: bool = _opt(True, "Split each theme into sub-themes where its texts hold distinct, stable groups.")


@dataclass
class UnitsConfig:
    """``[units]``: what gets a theme: each statement of a note (default) or each row."""

    unit: Literal["statement", "row"] = _opt(
        "statement", "What gets a theme: each statement of a text (a note holds several: visit, concern, next step), "
        "or each row (its text columns joined, one theme per row).")
    kinds: bool = _opt(True, "Tell the customer's voice from the rep's log (visits, next steps, the outcome itself); "
                       "log statements are counted apart, never named as themes, never in win rates.")
    log_cues: list[str] = _opt(None, "Extra patterns (regular expressions) that make a statement the rep's log, "
                               "tried before the built-in cues.", factory=list)
    voice_cues: list[str] = _opt(None, "Extra patterns that make a statement the customer's voice, tried before the "
                                 "built-in cues (and before log_cues).", factory=list)


@dataclass
class CleanConfig:
    """``[clean]``: normalisation and personal data."""

    mask_pii: bool | list[PiiKind] = _opt(True, "Mask personal data: true (all), false (none), or a list of kinds "
                                          "(on the command line: all, none, or e.g. email,phone).")
    max_text_chars: int | None = _opt(2000, "Longer texts are cut for embedding (counted in run.json).", minimum=1)


@dataclass
class OutputConfig:
    """``[output]``: where the report goes."""

    dir: str = _opt("reports/latest", "Output folder of the report.", path=True)


@dataclass
class HistoryConfig:
    """``[history]``: the run history that keeps theme ids stable."""

    enabled: bool = _opt(True, "Record each run and match its themes to the last comparable run's.")
    path: str | None = _opt(None, "History database (default: history.duckdb beside the output folder).", path=True)
    match_threshold: float = _opt(0.5, "Similarity needed to keep a theme's id.", minimum=0, maximum=1)


@dataclass
class TaxonomyConfig:
    """``[taxonomy]``: theme names, merges, seed words and marketing fields."""

    path: str | None = _opt(None, "Taxonomy file (TOML), created by the first run when missing.", path=True)
    update: bool = _opt(True, "Add new themes to the file and refresh their keywords (runs with history only).")


@dataclass
class InsightsConfig:
    """``[insights]``: trends and win rates."""

    recent_months: int = _opt(3, "Latest period for the emerging flag, in months.", minimum=1)
    min_count: int = _opt(20, "Below this many deals a theme's win/loss says 件数が少なすぎます.", minimum=1)


@dataclass
class ScaleConfig:
    """``[scale]``: large exports and parallelism (results do not depend on these)."""

    n_jobs: int = _opt(-1, "Processes for cleaning, names and sub-themes, threads for the theme fit's k-means runs (-1: one per core).")
    fit_sample: int | None = _opt(10_000, "Fit themes on a stratified sample this big, assign the rest (0: all).",
                                  minimum=0)
    batch_size: int = _opt(50_000, "Documents per embedding and assignment batch.", minimum=1)
    dask: str | None = _opt(None, "Run on a Dask cluster at this address (pip install 'voc[dask]').")


#: The TOML sections, in the order of the docs.
SECTIONS: dict[str, type] = {
    "input": InputConfig, "units": UnitsConfig, "model": ModelConfig, "clean": CleanConfig, "output": OutputConfig,
    "history": HistoryConfig, "taxonomy": TaxonomyConfig, "insights": InsightsConfig, "scale": ScaleConfig,
}


@dataclass
class Config:
    """Everything one run needs: one attribute per TOML section."""

    input: InputConfig = field(default_factory=InputConfig)
    units: UnitsConfig = field(default_factory=UnitsConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    clean: CleanConfig = field(default_factory=CleanConfig)
    output: OutputConfig = field(default_factory=OutputConfig)
    history: HistoryConfig = field(default_factory=HistoryConfig)
    taxonomy: TaxonomyConfig = field(default_factory=TaxonomyConfig)
    insights: InsightsConfig = field(default_factory=InsightsConfig)
    scale: ScaleConfig = field(default_factory=ScaleConfig)

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, source: str = "config") -> Config:
        """A validated config from ``{section: {key: value}}`` (a parsed TOML file)."""
        sections: dict[str, Any] = {}
        for section, body in data.items():
            if section not in SECTIONS or not isinstance(body, dict):
                raise ConfigError(
                    f"{source}: unknown section [{section}]; valid sections are "
                    + ", ".join(f"[{s}]" for s in SECTIONS)
                )
            sections[section] = _section(SECTIONS[section], section, body, source)
        return cls(**sections)

    def to_dict(self) -> dict[str, Any]:
        """``{section: {key: value}}``, JSON-serialisable (``run.json``'s ``options``)."""
        return dataclasses.asdict(self)

    def override(self, changes: dict[str, Any], *, source: str = "command line") -> Config:
        """A copy with ``{"section.key": value}`` *changes* applied, each validated; ``None`` and
        empty lists are skipped (a CLI option not given)."""
        data = self.to_dict()
        for dotted, value in changes.items():
            if value is None or (isinstance(value, (list, tuple)) and not value):
                continue
            section, key = dotted.split(".", 1)
            data[section][key] = list(value) if isinstance(value, tuple) else value
        out = Config.from_dict(data, source=source)
        return out


def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _section(cls: type, name: str, body: dict[str, Any], source: str) -> Any:
    known = {f.name: f for f in dataclasses.fields(cls)}
    hints = _hints(cls)
    values: dict[str, Any] = {}
    for key, value in body.items():
        if key not in known:
            raise ConfigError(
                f"{source}: unknown key {key!r} in [{name}]; valid keys are {', '.join(known)}"
            )
        values[key] = _check(value, hints[key], known[key].metadata, f"{source}: [{name}] {key}")
    return cls(**values)


def _describe(tp: Any) -> str:
    """A type in words, for errors and docs."""
    if tp is NThemes or (get_origin(tp) in (Union, types.UnionType) and set(get_args(tp)) == set(get_args(NThemes))):
        return "'auto' or an integer ≥ 2"
    origin = get_origin(tp)
    if origin is Literal:
        return "one of {" + ", ".join(repr(v) for v in get_args(tp)) + "}"
    if origin in (Union, types.UnionType):
        parts = [a for a in get_args(tp) if a is not type(None)]
        text = " or ".join(_describe(a) for a in parts)
        return text + (" (or unset)" if len(parts) < len(get_args(tp)) else "")
    if origin is list:
        (item,) = get_args(tp)
        if get_origin(item) is Literal:
            return "a list of values from {" + ", ".join(repr(v) for v in get_args(item)) + "}"
        return {str: "a list of strings", int: "a list of integers"}.get(item, f"a list of {item}")
    return {bool: "true or false", int: "an integer", float: "a number", str: "a string"}.get(tp, str(tp))


def _check(value: Any, tp: Any, meta: Any, where: str) -> Any:
    """*value* converted to *tp*, or a ConfigError "*where* must be …, got …"."""
    if tp is NThemes or (get_origin(tp) in (Union, types.UnionType) and set(get_args(tp)) == set(get_args(NThemes))):
        try:
            return parse_n_themes(value)
        except ConfigError:
            raise ConfigError(f"{where} must be 'auto' or an integer ≥ 2, got {value!r}") from None
    try:
        out = _convert(value, tp)
    except (TypeError, ValueError):
        raise ConfigError(f"{where} must be {_describe(tp)}, got {value!r}") from None
    lo, hi = meta.get("min"), meta.get("max")
    if isinstance(out, (int, float)) and not isinstance(out, bool):
        if (lo is not None and out < lo) or (hi is not None and out > hi):
            bounds = f"≥ {lo}" if hi is None else f"between {lo} and {hi}"
            raise ConfigError(f"{where} must be {_describe(tp).removesuffix(' (or unset)')} {bounds}, got {value!r}")
    return out


def _convert(value: Any, tp: Any) -> Any:
    origin = get_origin(tp)
    if origin is Literal:
        if value not in get_args(tp):
            raise ValueError(value)
        return value
    if origin in (Union, types.UnionType):
        args = get_args(tp)
        if value is None and type(None) in args:
            return None
        for arg in args:  # the first member that takes the value as it is
            if arg is not type(None) and _is(value, arg):
                return _convert(value, arg)
        raise ValueError(value)
    if origin is list:
        (item,) = get_args(tp)
        if isinstance(value, str):
            value = [value]  # text_columns = "memo"
        if not isinstance(value, (list, tuple)):
            raise TypeError(value)
        return [_convert(v, item) for v in value]
    if tp is bool:
        if not isinstance(value, bool):
            raise TypeError(value)
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(value)
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(value)
        return float(value)
    if tp is str:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)) and not hasattr(value, "isoformat"):
            raise TypeError(value)
        return str(value)  # TOML dates (since/until) arrive as datetime.date
    raise TypeError(tp)  # pragma: no cover - a field of a type this function does not know


def _is(value: Any, tp: Any) -> bool:
    """Does *value* already have the shape of *tp* (for choosing a union member)?"""
    origin = get_origin(tp)
    if origin is Literal:
        return value in get_args(tp)
    if origin is list:
        return isinstance(value, (list, tuple)) or isinstance(value, str)
    if tp is bool:
        return isinstance(value, bool)
    if tp in (int, float):
        return isinstance(value, (int, float)) and not isinstance(value, bool) and (tp is float or isinstance(value, int))
    if tp is str:
        return isinstance(value, str) or hasattr(value, "isoformat")
    return False


def load_config(path: str | Path) -> Config:
    """Read and validate a TOML config file.

    Relative paths (``[input] path``, ``[output] dir``, ``[history] path``, ``[taxonomy] path``) are
    resolved against the directory of the file, so a config works whatever the current directory
    of a cron job is.
    """
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    config = Config.from_dict(raw, source=f"config file {path}")
    base = path.parent
    for section in SECTIONS:
        body = getattr(config, section)
        for f in dataclasses.fields(body):
            value = getattr(body, f.name)
            if f.metadata.get("path") and value and not Path(value).is_absolute():
                resolved = base / value
                setattr(body, f.name, str(resolved.resolve() if (section, f.name) == ("input", "path") else resolved))
    return config


def reference_markdown() -> str:
    """``docs/configuration.md``: every section and key with its type, default and meaning."""
    lines = [
        "# Configuration reference",
        "",
        "<!-- generated by `python -m voc.config > docs/configuration.md`; tests/test_config.py keeps it current -->",
        "",
        "A `voc.toml` file has the sections below; every key is optional. Relative paths are resolved",
        "against the file's folder. `voc report` options override the file (`voc report --help`).",
        "",
    ]
    for name, cls in SECTIONS.items():
        about = (cls.__doc__ or "").split(":", 1)[-1].strip()
        lines += [f"## [{name}]", "", about[:1].upper() + about[1:], "",
                  "| key | type | default | meaning |", "|---|---|---|---|"]
        hints = _hints(cls)
        for f in dataclasses.fields(cls):
            default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
            shown = "unset" if default is None else _toml(default)
            lines.append(f"| `{f.name}` | {_describe(hints[f.name])} | `{shown}` | {f.metadata['help']} |")
        lines.append("")
    return "\n".join(lines)


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return str(value)


if __name__ == "__main__":  # pragma: no cover - `python -m voc.config > docs/configuration.md`
    print(reference_markdown(), end="")
