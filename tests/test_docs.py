"""The documentation builds without warnings, and the notebooks are stored clean.

The notebooks themselves run through nbmake (``--nbmake`` in the pytest
options of pyproject.toml), one test per notebook.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


def test_docs_build_without_warnings(tmp_path):
    """Build the HTML pages with -W from a copy of docs/.

    autosummary writes its stub pages into the source folder, and the copy
    keeps them out of the repository.
    """
    source = tmp_path / "docs"
    shutil.copytree(DOCS, source, ignore=shutil.ignore_patterns("_build", "generated"))
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-W",
        "--keep-going",
        "-b",
        "html",
        "-d",
        str(tmp_path / "doctrees"),
        str(source),
        str(tmp_path / "html"),
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=600, check=False
    )

    assert result.returncode == 0, (
        f"sphinx-build failed with exit status {result.returncode}:\n"
        f"{result.stderr[-6000:]}"
    )
    html = tmp_path / "html"
    assert (html / "index.html").is_file()
    assert (html / "api" / "generated" / "sktime_srcnn.SRAnnotator.html").is_file()


def test_notebooks_present():
    assert NOTEBOOKS, "notebooks/ holds no .ipynb file for nbmake to run"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_notebook_stored_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    executed = [
        number
        for number, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count)
    ]

    assert not executed, (
        f"{path.name} is stored with outputs in cells {executed}. Clear all "
        f"outputs before committing (Kernel, Restart Kernel and Clear Outputs)."
    )
