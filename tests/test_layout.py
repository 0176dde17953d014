"""The layout of voc/: no package reaches into another package's private names or modules."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _owner(dotted: str, root: Path) -> tuple[str, ...] | None:
    """The package that owns the first private part of *dotted* (``voc.report._csv.csv_text`` →
    ``("voc", "report")``), or None when no part is private."""
    parts = dotted.split(".")
    for i, part in enumerate(parts):
        if part.startswith("_") and not part.startswith("__"):
            head = parts[:i]
            is_module = root.joinpath(*head).with_suffix(".py").is_file()
            return tuple(head[:-1] if is_module else head)
    return None


def cross_package_private_uses(root: Path) -> list[str]:
    """``file:line: name`` for each import in *root*/voc of a private voc name whose owner package is
    neither the importer's package nor one of its parents."""
    found = []
    for path in sorted((root / "voc").rglob("*.py")):
        importer = path.relative_to(root).parent.parts
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("voc"):
                names = [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names if a.name.startswith("voc")]
            for name in names:
                owner = _owner(name, root)
                if owner is not None and importer[: len(owner)] != owner:
                    found.append(f"{path.relative_to(root).as_posix()}:{node.lineno}: {name}")
    return found


def test_no_private_names_across_packages():
    assert cross_package_private_uses(ROOT) == []


def test_the_check_finds_a_private_import_from_another_package(tmp_path):
    # voc/evaluate importing a private module of voc.report is found; voc/report importing the same, or
    # anyone importing a private module of the root package (voc._counts), is not
    text = "from voc.report._csv import csv_text\nfrom voc._counts import count_matrix\n"
    for name in ("voc/report/_csv.py", "voc/_counts.py", "voc/evaluate/_probe.py", "voc/report/_probe.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text if name.endswith("_probe.py") else "", "utf-8")
    assert cross_package_private_uses(tmp_path) == ["voc/evaluate/_probe.py:1: voc.report._csv.csv_text"]
