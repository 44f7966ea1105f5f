"""Apps build on each other in one direction: accounts → candidates → searches →
screening → hiring. A lower app never imports a higher one; it hears of it through a
signal (candidates.signals.skill_merged) or a registry (accounts.registry).
config/ and tests/ sit above every app and may import anything."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["accounts", "candidates", "searches", "screening", "hiring"]
RANK = {app: rank for rank, app in enumerate(LAYERS)}


def _imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, module) of every import in the file, at module level or inside functions."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def upward_imports() -> list[str]:
    problems = []
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for line, module in _imported_modules(tree):
                target = module.split(".")[0]
                if target in RANK and RANK[target] > RANK[app]:
                    problems.append(f"{relative}:{line} imports {module} ({app} → {target})")
    return problems


def test_no_app_imports_an_app_above_it() -> None:
    problems = upward_imports()

    assert not problems, "Imports against the layers:\n" + "\n".join(problems)


def test_the_check_sees_imports_inside_functions_too() -> None:
    tree = ast.parse("import hiring.models\n\ndef f():\n    from searches.models import Brief\n")

    assert sorted(_imported_modules(tree)) == [(1, "hiring.models"), (4, "searches.models")]
