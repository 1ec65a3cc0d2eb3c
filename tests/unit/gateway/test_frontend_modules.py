"""The web front end's ES modules fit together: every name a module imports from another is
exported there (a browser would refuse the whole page otherwise), and every file parses."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from services.gateway.routes.frontend import FRONTEND

IMPORT = re.compile(r'^import\s*\{([^}]*)\}\s*from\s*"\./([\w.]+)";', re.MULTILINE)  # "a as b" too
EXPORT = re.compile(r"^export\s+(?:async\s+)?(?:function|const|class|let)\s+(\w+)", re.MULTILINE)
LAZY = re.compile(r'import\("\./([\w.]+)"\),\s*"(\w+)"')  # app.js' areas: module, export
MODULES = sorted(FRONTEND.glob("*.js"))


def exports_of(path) -> set[str]:
    return set(EXPORT.findall(path.read_text()))


@pytest.mark.parametrize("module", MODULES, ids=lambda path: path.name)
def test_every_imported_name_is_exported_by_its_module(module):
    for names, source in IMPORT.findall(module.read_text()):
        target = FRONTEND / source
        assert target.is_file(), f"{module.name} imports {source}, which does not exist"
        imported = {name.split(" as ")[0].strip() for name in names.split(",") if name.strip()}
        missing = imported - exports_of(target)
        assert not missing, f"{module.name} imports {sorted(missing)} that {source} does not export"


def test_every_area_app_js_loads_exports_its_pages():
    areas = LAZY.findall((FRONTEND / "app.js").read_text())
    assert len(areas) >= 5
    for source, name in areas:
        assert (FRONTEND / source).is_file(), source
        assert name in exports_of(FRONTEND / source), f"{source} does not export {name}"


@pytest.mark.skipif(not shutil.which("node"), reason="node is not installed")
@pytest.mark.parametrize("module", MODULES, ids=lambda path: path.name)
def test_every_module_parses(module):
    checked = subprocess.run(["node", "--experimental-default-type=module", "--check",
                              str(module)], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr


@pytest.mark.parametrize("module", MODULES, ids=lambda path: path.name)
def test_every_imported_name_is_used(module):
    text = module.read_text()
    body = re.sub(r"(?m)^\s*//.*$|\s//\s.*$", "", IMPORT.sub("", text))  # not in comments
    for names, _ in IMPORT.findall(text):
        for name in names.split(","):
            local = name.split(" as ")[-1].strip()
            if local:
                assert re.search(rf"\b{re.escape(local)}\b", body), \
                    f"{module.name} imports {local} and never uses it"
