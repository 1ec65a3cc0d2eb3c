"""The house plan is enforced, not only described: `make lint` (run by `make test`) fails on a
domain that imports I/O, a service that imports another, or unsorted imports. Each check is
shown catching a deliberate violation in a copy of the tree."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _copy_of_the_tree(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "services", tmp_path / "services",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "lint-imports"), "--no-cache"], cwd=root,
                          capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": f"{root}:{REPO / 'gen'}", "PATH": str(BIN)})


def _ruff(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "ruff"), "check", "--no-cache", "services"], cwd=root,
                          capture_output=True, text=True, timeout=120)


def test_the_tree_keeps_the_house_plan(tmp_path):
    result = _lint_imports(_copy_of_the_tree(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("module, source, broken", [
    ("services/registration/domain/leak.py", "import sqlalchemy\n",
     "A domain holds pure rules"),
    ("services/selection/domain/leak.py", "from services.shared.platform import config\n",
     "A domain holds pure rules"),
    ("services/selection/use_cases/leak.py", "import selection_pb2\nimport grpc\n",
     "Use cases know no transport"),
    ("services/selection/leak.py", "from services.registration.domain import nik\n",
     "No service imports another"),
    ("services/shared/platform/leak.py", "import services.selection.entrypoints\n",
     "Shared code imports no service"),
    ("services/shared/contracts/leak.py", "from services.shared.platform import database\n",
     "Shared layers"),
])
def test_a_violation_of_the_house_plan_is_caught(tmp_path, module, source, broken):
    root = _copy_of_the_tree(tmp_path)
    (root / module).write_text(source)
    result = _lint_imports(root)
    assert result.returncode != 0
    assert f"{broken}" in result.stdout and "BROKEN" in result.stdout


def test_unsorted_imports_and_unused_names_are_caught(tmp_path):
    root = _copy_of_the_tree(tmp_path)
    assert _ruff(root).returncode == 0, _ruff(root).stdout
    (root / "services/shared/contracts/leak.py").write_text(
        "import os\nimport json\n\nimport sys\n")
    result = _ruff(root)
    assert result.returncode == 1
    assert "I001" in result.stdout and "F401" in result.stdout
