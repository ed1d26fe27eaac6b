"""The apps' layers (pyproject.toml, [tool.importlinter]) hold, and the contract catches the
imports that would break them: a lower app importing a higher one, or core importing any app."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(project):
    return subprocess.run(  # noqa: S603 - our own venv tool, fixed arguments
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def project_copy(tmp_path_factory):
    """The package and its contract, copied so a test can add a forbidden import."""
    target = tmp_path_factory.mktemp("proyecto")
    shutil.copytree(ROOT / "apoyo", target / "apoyo", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")
    return target


def test_the_project_keeps_its_import_contracts():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("module", "forbidden"),
    [
        ("apoyo/supports/probe.py", "apoyo.review.services"),
        ("apoyo/core/probe.py", "apoyo.accounts.models"),
        ("apoyo/geo/probe.py", "apoyo.processes.models"),
    ],
)
def test_a_lower_layer_importing_a_higher_one_breaks_the_contract(project_copy, module, forbidden):
    probe = project_copy / module
    probe.write_text(f"import {forbidden}  # noqa: F401\n", encoding="utf-8")
    try:
        result = lint_imports(project_copy)
    finally:
        probe.unlink()
    assert result.returncode != 0
    assert forbidden.rsplit(".", 1)[0] in result.stdout
