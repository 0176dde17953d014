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


# -- memory: `pytest --rss` prints what each test file added to this process' RSS --------------------
def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--rss", action="store_true", help="print the RSS each test file added to the pytest process")


_RSS: dict[str, list[float]] = {}  # test file → [RSS before its first test, after its last, peak after]


def _rss_mb() -> tuple[float, float]:
    """(current, peak) resident set size of this process in MB (Linux)."""
    import resource

    with open("/proc/self/statm") as fh:
        now = int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    return now, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    if not item.config.getoption("rss"):
        return (yield)
    path = item.nodeid.split("::", 1)[0]
    if path not in _RSS:
        _RSS[path] = [_rss_mb()[0], 0.0, 0.0]
    result = yield  # module fixtures of the file's last test are torn down here too
    _RSS[path][1:] = _rss_mb()
    return result


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    if not config.getoption("rss") or not _RSS:
        return
    terminalreporter.section("RSS by test file (MB; added = after its last test - before its first)")
    for path, (before, after, peak) in sorted(_RSS.items(), key=lambda kv: kv[1][0] - kv[1][1]):
        terminalreporter.write_line(f"{after - before:+8.0f} added  {after:7.0f} after  {peak:7.0f} peak  {path}")
    runs = list(_RSS.values())  # in the order the files ran
    terminalreporter.write_line(
        f"session: {runs[0][0]:.0f} before the first file, {runs[-1][1]:.0f} after the last, {runs[-1][2]:.0f} peak"
    )
