"""The layers hold, and the contracts would catch a lower layer importing a higher one.

import-linter (contracts in pyproject.toml) runs on the source tree and on a copy of it into which
one upward import has been written: the first must pass, each copy must fail naming the import.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bench", "bot", "handlers", "console", "domain", "nlu", "knowledge_base", "config")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=tree, env=env, capture_output=True,
                          text=True, timeout=120)


def copy_with(tmp_path: Path, module: str, line: str) -> Path:
    """The source tree (Python files and pyproject.toml only) with ``line`` added to ``module``."""
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package,
                        ignore=shutil.ignore_patterns("__pycache__", "*.yml", "*.md", "*.txt", "*.html", "*.json",
                                                      "data", "dict", "articles", "migrations", "static", "templates"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / module.replace(".", "/")
    path = target / "__init__.py" if target.is_dir() else target.with_suffix(".py")
    path.write_text(path.read_text() + f"\n{line}\n")
    return tmp_path


def test_the_source_tree_keeps_every_contract() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(("module", "line", "broken"), [
    ("domain.cases.lifecycle", "import bot.app  # noqa", "domain.cases.lifecycle -> bot.app"),
    ("console.queue", "from bot.conversation import pipeline  # noqa", "console.queue -> bot.conversation.pipeline"),
    ("handlers.menu", "import console.access  # noqa", "handlers.menu -> console.access"),
    ("nlu.service", "import domain.messages  # noqa", "nlu.service -> domain.messages"),
    ("domain.workers", "import flask  # noqa", "domain.workers -> flask"),
    ("handlers.menu", "import twilio  # noqa", "handlers.menu -> twilio"),
])
def test_an_upward_import_breaks_a_contract(tmp_path: Path, module: str, line: str, broken: str) -> None:
    result = lint_imports(copy_with(tmp_path, module, line))
    assert result.returncode != 0
    assert broken in result.stdout, result.stdout
