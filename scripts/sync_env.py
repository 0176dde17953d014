"""Regenerate environment.yml from requirements.lock and requirements-dev.lock.

    python scripts/sync_env.py

Packages that conda-forge does not carry (or carries under a different name) go to the pip section.
tests/test_environment.py checks that the files agree.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIP_ONLY = {"unidic-lite", "nbmake", "playwright", "nest-asyncio2", "jupyter-builder", "lazy-importer"}  # not on conda-forge at these versions


def read_lock(path: Path) -> list[tuple[str, str]]:
    pins = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and "==" in line:
            name, version = line.split("==", 1)
            pins.append((name.strip().lower(), version.strip()))
    return pins


def main() -> None:
    pins = read_lock(ROOT / "requirements.lock") + read_lock(ROOT / "requirements-dev.lock")
    conda = [f"  - {n}={v}" for n, v in pins if n not in PIP_ONLY]
    pip = [f"      - {n}=={v}" for n, v in pins if n in PIP_ONLY]
    text = "\n".join(
        [
            "# Conda environment for voc, generated from requirements*.lock by scripts/sync_env.py.",
            "# After `conda env create -f environment.yml && conda activate voc`, install BERTopic without",
            "# its torch dependency and voc itself:",
            "#   pip install --no-deps bertopic==0.17.4 ja-ginza==5.3.0 && pip install --no-deps -e .",
            "name: voc",
            "channels:",
            "  - conda-forge",
            "dependencies:",
            "  - python=3.11",
            *conda,
            "  - pip",
            "  - pip:",
            *pip,
            "",
        ]
    )
    (ROOT / "environment.yml").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
