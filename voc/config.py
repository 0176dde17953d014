"""Run configuration: one dataclass, read from TOML, overridable from the CLI.

A config file mirrors the CLI options so that scheduled runs can say everything in one place::

    [input]
    path = "exports/crm.csv"          # relative paths are resolved against the config file
    text_columns = ["call_note", "lost_reason"]
    id_column = "deal_id"
    date_column = "closed_date"
    outcome_column = "outcome"
    segment_columns = ["industry", "company_size", "region", "owner"]
    encoding = "auto"                 # or utf-8, utf-8-sig, cp932, utf-16
    sheet = 0                         # xlsx only: sheet name or index
    max_input_mb = 500                # refuse larger files (raise it if you have the memory)

    [model]
    n_themes = "auto"                 # or an integer
    seed = 42
    embedding = "lsa+chive"          # or lsa, lsa-char, chive, lsa-char+chive
    clustering = "consensus-em"       # or consensus, em, kmeans (faster, less stable)
    consensus_runs = 30               # k-means runs behind the consensus (60: steadier themes, slower)
    auto_k_margin = 0.1               # auto mode with history: keep the last run's k unless another is this much more stable
    reduction = "none"                # or "umap"

    [clean]
    mask_pii = true                   # or a list: ["email", "phone", "url", "postal", "name"]
    max_text_chars = 2000             # longer texts are cut for embedding (counted in run.json)

    [output]
    dir = "reports/latest"

    [scale]
    n_jobs = -1                       # processes for cleaning/tokenizing (from 4,000 texts), threads for the theme fit's k-means runs (-1: one per core)
    fit_sample = 10000                # fit themes on a stratified sample this big, assign the rest (0: all)
    batch_size = 50000                # documents per embedding / assignment batch
    dask = "tcp://scheduler:8786"     # optional: run on a Dask cluster (pip install 'voc[dask]')

    [input] also takes ``competitor_column`` (competitors co-mentioned per theme) and ``since`` /
    ``until`` (``YYYY-MM-DD``, on ``date_column``; rows outside are rejected as ``outside_window``).

    [history]                         # run history (voc.store), used for stable theme ids
    enabled = true
    path = "reports/history.duckdb"   # default: history.duckdb beside the output folder
    match_threshold = 0.5             # similarity needed to keep a theme's id (voc.matching)

    [taxonomy]                        # theme names, merges, seed words, marketing fields
    path = "taxonomy.toml"            # created by the first run when missing
    update = true                     # add new themes to the file and refresh their keywords

    [insights]
    recent_months = 3                 # latest period for the emerging flag
    min_count = 20                    # below this many deals win/loss says 件数が少なすぎます
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from voc.errors import ConfigError

__all__ = ["Config", "load_config", "parse_n_themes"]

NThemes = int | Literal["auto"]

#: Accepted values of ``[model] clustering`` (:mod:`voc.cluster`) and ``[model] reduction``.
CLUSTERINGS: tuple[str, ...] = ("consensus-em", "consensus", "em", "kmeans")
REDUCTIONS: tuple[str, ...] = ("none", "umap")


def parse_n_themes(value: Any) -> NThemes:
    """Turn ``"auto"``, ``"12"`` or ``12`` into ``"auto"`` or an int ≥ 2."""
    if value is None or value == "auto":
        return "auto"
    try:
        k = int(value)
    except (TypeError, ValueError):
        raise ConfigError(f"n_themes must be 'auto' or an integer ≥ 2, got {value!r}") from None
    if k < 2:
        raise ConfigError(f"n_themes must be 'auto' or an integer ≥ 2, got {k}")
    return k


@dataclass
class Config:
    """Everything one run needs. Field names match the TOML keys (sections are flattened)."""

    # [input]
    path: str | None = None
    text_columns: list[str] = field(default_factory=list)
    id_column: str | None = None
    date_column: str | None = None
    outcome_column: str | None = None
    segment_columns: list[str] = field(default_factory=list)
    encoding: str = "auto"
    sheet: str | int = 0
    max_input_mb: float | None = 500.0
    competitor_column: str | None = None
    since: str | None = None
    until: str | None = None
    # [model]
    n_themes: NThemes = "auto"
    seed: int = 42
    embedding: str = "lsa+chive"
    clustering: str = "consensus-em"
    consensus_runs: int = 30
    auto_k_margin: float = 0.1
    reduction: str = "none"
    # [clean]
    mask_pii: bool | list[str] = True
    max_text_chars: int | None = 2000
    # [output]
    out_dir: str = "reports/latest"
    # [history]
    history: bool = True
    history_path: str | None = None
    match_threshold: float = 0.5
    # [taxonomy]
    taxonomy_path: str | None = None
    taxonomy_update: bool = True
    # [insights]
    recent_months: int = 3
    min_count: int = 20
    # [scale]  (see docs/performance.md)
    n_jobs: int = -1
    fit_sample: int | None = 10_000
    batch_size: int = 50_000
    dask: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable copy (used in ``run.json``)."""
        return dataclasses.asdict(self)

    def replace(self, **changes: Any) -> Config:
        """A copy with the non-``None`` *changes* applied (CLI flags override the file)."""
        changes = {k: v for k, v in changes.items() if v is not None and v != [] and v != ()}
        if "n_themes" in changes:
            changes["n_themes"] = parse_n_themes(changes["n_themes"])
        return dataclasses.replace(self, **changes)


_SECTIONS: dict[str, dict[str, str]] = {
    "input": {
        "path": "path",
        "text_columns": "text_columns",
        "id_column": "id_column",
        "date_column": "date_column",
        "outcome_column": "outcome_column",
        "segment_columns": "segment_columns",
        "encoding": "encoding",
        "sheet": "sheet",
        "max_input_mb": "max_input_mb",
        "competitor_column": "competitor_column",
        "since": "since",
        "until": "until",
    },
    "model": {"n_themes": "n_themes", "seed": "seed", "embedding": "embedding",
              "clustering": "clustering", "consensus_runs": "consensus_runs", "reduction": "reduction",
              "auto_k_margin": "auto_k_margin"},
    "clean": {"mask_pii": "mask_pii", "max_text_chars": "max_text_chars"},
    "output": {"dir": "out_dir"},
    "history": {"enabled": "history", "path": "history_path", "match_threshold": "match_threshold"},
    "taxonomy": {"path": "taxonomy_path", "update": "taxonomy_update"},
    "insights": {"recent_months": "recent_months", "min_count": "min_count"},
    "scale": {"n_jobs": "n_jobs", "fit_sample": "fit_sample", "batch_size": "batch_size", "dask": "dask"},
}


def load_config(path: str | Path) -> Config:
    """Read a TOML config file into a :class:`Config`.

    Relative ``input.path`` and ``output.dir`` are resolved against the directory of the file, so a
    config works whatever the current directory of a cron job is.
    """
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    values: dict[str, Any] = {}
    for section, body in raw.items():
        if section not in _SECTIONS or not isinstance(body, dict):
            raise ConfigError(
                f"config file {path}: unknown section [{section}]; "
                f"valid sections are {', '.join('[' + s + ']' for s in _SECTIONS)}"
            )
        for key, value in body.items():
            if key not in _SECTIONS[section]:
                raise ConfigError(
                    f"config file {path}: unknown key {key!r} in [{section}]; "
                    f"valid keys are {', '.join(_SECTIONS[section])}"
                )
            values[_SECTIONS[section][key]] = value
    for key in ("text_columns", "segment_columns"):
        if isinstance(values.get(key), str):
            values[key] = [values[key]]
    if "n_themes" in values:
        values["n_themes"] = parse_n_themes(values["n_themes"])
    base = path.parent
    if values.get("path"):
        values["path"] = str((base / values["path"]).resolve()) if not Path(values["path"]).is_absolute() else values["path"]
    if values.get("out_dir"):
        values["out_dir"] = str(base / values["out_dir"]) if not Path(values["out_dir"]).is_absolute() else values["out_dir"]
    for key in ("history_path", "taxonomy_path"):
        if values.get(key) and not Path(values[key]).is_absolute():
            values[key] = str(base / values[key])
    for key in ("since", "until"):
        if values.get(key) is not None:
            values[key] = str(values[key])  # TOML dates arrive as datetime.date
    for key, allowed in (("clustering", CLUSTERINGS), ("reduction", REDUCTIONS)):
        if key in values and values[key] not in allowed:  # fail now, not after reading the export
            raise ConfigError(
                f"config file {path}: [model] {key} must be one of {', '.join(allowed)}, got {values[key]!r}"
            )
    runs = values.get("consensus_runs")
    if "consensus_runs" in values and (isinstance(runs, bool) or not isinstance(runs, int) or runs < 2):
        raise ConfigError(f"config file {path}: [model] consensus_runs must be an integer ≥ 2, got {runs!r}")
    margin = values.get("auto_k_margin")
    if "auto_k_margin" in values and (isinstance(margin, bool) or not isinstance(margin, (int, float)) or not margin >= 0):
        raise ConfigError(f"config file {path}: [model] auto_k_margin must be a number ≥ 0, got {margin!r}")
    try:
        return Config(**values)
    except TypeError as exc:  # pragma: no cover - guarded by the key checks above
        raise ConfigError(f"config file {path}: {exc}") from None
