"""The analyst notebooks: committed clean (no outputs, no function or class definitions, a parameters
cell first) and executed top to bottom on the sample corpus, where a failing cell fails the test.

The notebooks run in a kernel of this very interpreter (a kernel spec written to a temporary
``JUPYTER_PATH``, so nothing is registered globally and no global ``python3`` spec can point
elsewhere), with the notebooks folder as working directory, as ``make lab`` runs them.
Paths they write (taxonomy, report folder) are redirected to a temporary folder by a cell injected
after the parameters cell, as papermill does.
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
NAMES = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
EXPECTED = [
    "01-load-and-clean.ipynb",
    "02-explore-words.ipynb",
    "03-fit-and-edit-themes.ipynb",
    "04-theme-insights.ipynb",
]
#: Per-cell limit; each notebook is meant to finish within 3 minutes on the sample corpus.
CELL_TIMEOUT_S = 180


def _load(name: str) -> dict:
    return json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))


def _code_cells(book: dict) -> list[dict]:
    return [c for c in book["cells"] if c["cell_type"] == "code"]


def _python(source: str) -> str:
    """Cell source without IPython magics and shell escapes, which are not Python syntax."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())


def test_the_four_numbered_notebooks_exist():
    assert NAMES == EXPECTED


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_committed_without_outputs(name):
    book = _load(name)
    for i, cell in enumerate(_code_cells(book)):
        assert cell.get("outputs") == [], f"{name}: code cell {i} has outputs; clear them before committing"
        assert cell.get("execution_count") is None, f"{name}: code cell {i} has an execution count"
    assert "widgets" not in book.get("metadata", {}), f"{name}: widget state is committed"


@pytest.mark.parametrize("name", NAMES)
def test_notebook_defines_no_function_or_class(name):
    for i, cell in enumerate(_code_cells(_load(name))):
        source = "".join(cell["source"])
        tree = ast.parse(_python(source), filename=f"{name}[{i}]")
        defs = [
            n
            for n in ast.walk(tree)
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda))
        ]
        assert not defs, (
            f"{name}: code cell {i} defines {type(defs[0]).__name__} at line {defs[0].lineno}; move it into voc"
        )


@pytest.mark.parametrize("name", NAMES)
def test_first_code_cell_is_the_parameters_cell(name):
    first = _code_cells(_load(name))[0]
    assert "parameters" in first.get("metadata", {}).get("tags", []), f"{name}: tag the first code cell 'parameters'"
    assert "../corpus/" in "".join(first["source"]) or "voc.toml" in "".join(first["source"]), (
        f"{name}: the parameters cell should read the sample corpus by default"
    )


def test_the_definition_check_can_fail():
    bad = "%matplotlib inline\nx = 1\ndef f():\n    return x\n"
    tree = ast.parse(_python(bad))
    assert any(isinstance(n, ast.FunctionDef) for n in ast.walk(tree))


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for the whole module: 04 reads the taxonomy 03 saved, as an analyst would."""
    return tmp_path_factory.mktemp("notebooks")


@pytest.fixture()
def kernel_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A kernel spec of this very interpreter, under a name no global spec can shadow."""
    name = "voc-test-python"
    spec = tmp_path / "jupyter" / "kernels" / name
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": name, "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    return name


def _inject(book, overrides: dict[str, str]) -> None:
    import nbformat

    params = next(i for i, c in enumerate(book.cells) if "parameters" in c.metadata.get("tags", []))
    names = {t.id for t in ast.walk(ast.parse(book.cells[params].source)) if isinstance(t, ast.Name)}
    lines = [f"{k} = {v!r}" for k, v in overrides.items() if k in names]
    if lines:
        cell = nbformat.v4.new_code_cell("\n".join(lines), metadata={"tags": ["injected-parameters"]})
        cell["id"] = "injected"
        book.cells.insert(params + 1, cell)


@pytest.mark.slow
@pytest.mark.parametrize("name", EXPECTED)
def test_notebook_runs_top_to_bottom(name, workdir, kernel_name):
    nbformat = pytest.importorskip("nbformat", reason="nbformat is in requirements-dev.lock")
    nbclient = pytest.importorskip("nbclient", reason="nbclient is in requirements-dev.lock")
    pytest.importorskip("ipykernel", reason="ipykernel is in requirements-dev.lock")
    book = nbformat.read(NOTEBOOKS / name, as_version=4)
    _inject(book, {"TAXONOMY": str(workdir / "taxonomy.toml"), "OUT_DIR": str(workdir / "report")})
    client = nbclient.NotebookClient(
        book,
        kernel_name=kernel_name,
        timeout=CELL_TIMEOUT_S,
        allow_errors=False,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    client.execute()  # raises CellExecutionError naming the cell on the first failing cell
    outputs = [o for c in book.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    errors = [o for o in outputs if o.get("output_type") == "error"]
    assert not errors
    assert any(
        "image/png" in o.get("data", {}) or "text/html" in o.get("data", {}) for o in outputs
    ) or name.startswith("01")
    if name.startswith("03"):
        assert (workdir / "taxonomy.toml").is_file(), "03 should save the taxonomy"
