"""The install story: pinned locks, environment.yml in sync, no torch, a fast CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from sync_env import read_lock  # noqa: E402


def _env_pins() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pins: dict[str, str] = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            for line in dep["pip"]:
                name, version = line.split("==")
                pins[name.lower()] = version
        elif "=" in dep and not dep.startswith("python="):
            name, version = dep.split("=", 1)
            pins[name.lower()] = version
    return pins


def test_environment_yml_matches_lock_files():
    locked = dict(read_lock(ROOT / "requirements.lock") + read_lock(ROOT / "requirements-dev.lock"))
    assert _env_pins() == locked, "run: python scripts/sync_env.py"


def test_lock_pins_every_line_exactly():
    for name in ("requirements.lock", "requirements-dev.lock", "requirements-transformers.lock"):
        for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                assert "==" in line, f"{name}: {line!r} is not pinned with =="


def test_transformers_lock_adds_to_the_others_and_takes_the_cpu_torch():
    """The optional backend's venv installs requirements.lock + requirements-transformers.lock with
    requirements-dev.lock as constraints: a package pinned in two of them could conflict, and an
    unpinned or other torch would pull a multi-GB CUDA build."""
    extra = dict(read_lock(ROOT / "requirements-transformers.lock"))
    others = {n for n, _ in read_lock(ROOT / "requirements.lock") + read_lock(ROOT / "requirements-dev.lock")}
    assert not set(extra) & others
    assert extra["torch"] == "2.13.0" and "sentence-transformers" in extra
    assert "requirements-transformers.lock" in (ROOT / "Makefile").read_text(encoding="utf-8")


def test_no_torch_in_default_environment():
    for name in ("requirements.lock", "requirements-dev.lock"):
        names = {n for n, _ in read_lock(ROOT / name)}
        assert not names & {"torch", "sentence-transformers", "nvidia-cublas-cu12"}, name
    out = subprocess.run(
        [sys.executable, "-c", "import importlib.util as u; print(u.find_spec('torch') is None)"],
        capture_output=True, text=True, check=True,
    )
    assert out.stdout.strip() == "True", "torch is installed in the test environment"


def test_import_voc_and_help_do_not_load_heavy_modules():
    code = (
        "import sys, voc, voc.cli\n"
        "from click.testing import CliRunner\n"
        "r = CliRunner().invoke(voc.cli.cli, ['--help'])\n"
        "assert r.exit_code == 0, r.output\n"
        "r = CliRunner().invoke(voc.cli.cli, ['report', '--help'])\n"
        "assert r.exit_code == 0, r.output\n"
        "heavy = [m for m in ('torch', 'bertopic', 'umap', 'sklearn', 'pandas', 'numba') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"imported at --help: {out.stdout.strip()}"


def test_bertopic_plotting_is_loaded_only_when_used():
    # BERTopic imports plotly's figure factory and UMAP at import time (7.5 s here, docs/performance.md);
    # voc defers that module until a BERTopic figure is asked for, and the figure functions still work.
    code = (
        "import sys\n"
        "from voc.themes._bertopic import import_bertopic\n"
        "import_bertopic()\n"
        "early = [m for m in ('plotly', 'umap', 'nbformat') if m in sys.modules]\n"
        "import bertopic._bertopic as b\n"
        "fn = b.plotting.visualize_barchart\n"
        "print(','.join(early) + '|' + fn.__module__ + '|' + str('plotly' in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "|bertopic.plotting._barchart|True", out.stdout
    # importing one of its submodules first (before any attribute) reaches the real package too
    code = "from voc.themes._bertopic import import_bertopic\nimport_bertopic()\nimport bertopic.plotting._topics as t\nprint(t.__name__)\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "bertopic.plotting._topics", out.stdout
