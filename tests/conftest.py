"""Shared fixtures: paths, the shared labeled corpora (skipped when absent), one sample report."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SAMPLE_CSV = CORPUS / "sample_crm_export.csv"
SAMPLE_TRUTH = CORPUS / "sample_crm_export.truth.csv"
SAMPLE_CONFIG = CORPUS / "voc.toml"


def shared_data_dir() -> Path | None:
    """../shared/data beside the checkout, or $VOC_SHARED_DATA; None when neither exists."""
    env = os.environ.get("VOC_SHARED_DATA")
    for candidate in ([Path(env)] if env else []) + [ROOT.parent / "shared" / "data"]:
        if candidate.is_dir():
            return candidate
    return None


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = shared_data_dir()
    if path is None:
        pytest.skip("labeled corpora not found: set VOC_SHARED_DATA or place them in ../shared/data")
    return path


@pytest.fixture(scope="session")
def sample_report(tmp_path_factory: pytest.TempPathFactory):
    """The sample corpus report (corpus/voc.toml), built once per test session in-process.

    Returns the :class:`voc.pipeline.ReportResult`; its ``out_dir`` holds the written files.
    """
    from voc.config import load_config
    from voc.pipeline import run_report

    out = tmp_path_factory.mktemp("sample-report") / "latest"
    config = load_config(SAMPLE_CONFIG).override({"output.dir": str(out)})
    return run_report(config)
