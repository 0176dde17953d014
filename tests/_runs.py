"""Helpers for tests that start real ``voc report`` processes on a small seeded export."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VOC = [sys.executable, "-m", "voc"]

CONFIG = """\
[input]
path = "export.csv"
text_columns = ["lost_reason"]
id_column = "deal_id"

[model]
n_themes = 6
seed = 42

[output]
dir = "reports/latest"
"""


def make_project(folder: Path, n_deals: int = 300, seed: int = 7) -> Path:
    """A folder with ``export.csv`` (corpus/generate.py) and ``voc.toml``; returns the config path."""
    sys.path.insert(0, str(ROOT / "corpus"))
    try:
        from generate import generate, write
    finally:
        sys.path.pop(0)
    folder.mkdir(parents=True, exist_ok=True)
    rows, truth = generate(n_deals=n_deals, seed=seed)
    write(rows, truth, str(folder / "export.csv"))
    (folder / "voc.toml").write_text(CONFIG, encoding="utf-8")
    return folder / "voc.toml"


def env(hash_seed: str = "0") -> dict[str, str]:
    e = dict(os.environ)
    e["PYTHONHASHSEED"] = hash_seed
    e["PYTHONPATH"] = str(ROOT) + os.pathsep + e.get("PYTHONPATH", "")
    return e


def run(config: Path, *args: str, hash_seed: str = "0") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*VOC, "report", "--config", str(config), *args],
        cwd=config.parent,
        env=env(hash_seed),
        capture_output=True,
        text=True,
        timeout=600,
    )


def digest(folder: Path) -> dict[str, str]:
    """sha256 of every file under *folder* (following the ``latest`` link)."""
    folder = folder.resolve()
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
