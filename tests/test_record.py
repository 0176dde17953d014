"""run.json: one RunRecord dataclass, checked against the versioned JSON Schema in the package."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import jsonschema
import pytest

from voc.report.record import RUN_SCHEMA_VERSION, AutoK, InputInfo, RowCounts, RunRecord, ThemeCounts, run_schema


def _record(**changes):
    from voc.config import Config

    base = RunRecord(
        voc_version="0", run_id="r", previous_run_id="", created_at="2026-12-03T00:00:00+0000",
        options=Config().to_dict(), input=InputInfo(path="x.csv", checksum="sha256:" + "0" * 64, encoding="utf-8"),
        rows=RowCounts(read=3, kept=2, rejected=1, rejected_by_reason={"empty_text": 1}),
        themes=ThemeCounts(n_themes=2, unassigned=0),
    )
    return dataclasses.replace(base, **changes)


def test_the_schema_is_a_valid_json_schema_of_the_current_version():
    schema = run_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["schema_version"]["const"] == RUN_SCHEMA_VERSION


def test_a_record_validates_and_the_schema_can_fail():
    validator = jsonschema.Draft202012Validator(run_schema())
    good = _record(themes=ThemeCounts(2, 0, AutoK(chosen=2, stability={"2": 0.9}, previous=None, kept_previous=False)))
    validator.validate(json.loads(good.to_json()))
    broken = json.loads(good.to_json())
    broken["rows"]["kept"] = "2"
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(broken)
    extra = json.loads(good.to_json()) | {"surprise": 1}
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(extra)


def test_every_field_of_the_record_is_in_the_schema():
    props = run_schema()["properties"]
    assert {f.name for f in dataclasses.fields(RunRecord)} == set(props)
    for name, cls in (("input", InputInfo), ("rows", RowCounts), ("themes", ThemeCounts)):
        assert {f.name for f in dataclasses.fields(cls)} == set(props[name]["properties"]), name


def test_the_sample_reports_run_json_follows_the_schema(sample_report):
    data = json.loads((Path(sample_report.out_dir) / "run.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(run_schema()).validate(data)
    assert data["schema_version"] == RUN_SCHEMA_VERSION
    assert data["output"]["link"] == Path(sample_report.out_dir).name
    assert data == sample_report.run.to_dict()
