"""``run.json``: the record of one run, as a dataclass, with a versioned JSON Schema.

:class:`RunRecord` is the only thing that becomes ``run.json``; ``voc/report/run.schema.json``
describes it (``schema_version`` says which version of the schema a file follows) and
``tests/test_record.py`` checks every written file against it.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

__all__ = ["RunRecord", "InputInfo", "RowCounts", "ThemeCounts", "AutoK", "OutputInfo", "RUN_SCHEMA_VERSION",
           "run_schema"]

#: Version of ``run.schema.json``; raise it when a field changes meaning or goes away.
RUN_SCHEMA_VERSION = 1


@dataclass
class InputInfo:
    """The export that was read."""

    path: str
    checksum: str  # "sha256:…" of the file's bytes
    encoding: str
    header_row: int = 1  # row of the file with the column names (rows above it: a title, filters)


@dataclass
class RowCounts:
    """Every data row of the export is kept or rejected: ``read == kept + rejected``."""

    read: int
    kept: int
    rejected: int
    rejected_by_reason: dict[str, int]
    truncated: int = 0  # kept texts cut to max_text_chars


@dataclass
class AutoK:
    """Auto mode's choice of the number of themes."""

    chosen: int
    stability: dict[str, float]  # candidate k -> mean pairwise ARI
    previous: int | None  # the last comparable run's k
    kept_previous: bool


@dataclass
class ThemeCounts:
    n_themes: int
    unassigned: int
    auto_k: AutoK | None = None


@dataclass
class OutputInfo:
    folder: str  # the run folder the report was written to
    link: str  # the name that points at it (latest)


@dataclass
class RunRecord:
    """One run of ``voc report``: what was read, with which options, what came out, how long it took."""

    voc_version: str
    run_id: str
    previous_run_id: str
    created_at: str
    options: dict[str, Any]  # the config, {section: {key: value}}
    input: InputInfo
    rows: RowCounts
    themes: ThemeCounts
    timings_s: dict[str, float] = field(default_factory=dict)
    output: OutputInfo | None = None
    # the outcome column's values, how each was read (won / lost / open) and their counts
    # (voc.read.outcomes.outcome_record); None without an outcome column
    outcomes: dict[str, Any] | None = None
    # the date column: dates read, empty, not read (with examples), first and last day
    # (voc.read.DateSummary.to_dict); None without a date column
    dates: dict[str, Any] | None = None
    # what got a theme: {unit: "statement" | "row", units, voice, log} (voice units are themed)
    units: dict[str, Any] | None = None
    schema_version: int = RUN_SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of ``run.json`` (``auto_k`` only when auto mode chose k)."""
        data = dataclasses.asdict(self)
        if data["themes"]["auto_k"] is None:
            del data["themes"]["auto_k"]
        if data["output"] is None:
            del data["output"]
        if data["outcomes"] is None:
            del data["outcomes"]
        for key in ("dates", "units"):
            if data[key] is None:
                del data[key]
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"


def run_schema() -> dict[str, Any]:
    """The JSON Schema of ``run.json`` (``voc/report/run.schema.json``)."""
    return json.loads(resources.files("voc.report").joinpath("run.schema.json").read_text(encoding="utf-8"))
