"""The apps depend one way: blog knows quotes; quotes never imports blog."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module or ""


def test_the_quotes_app_never_imports_the_blog():
    offenders = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in (ROOT / "quotes").rglob("*.py")
        for module in imported_modules(path)
        if module == "blog" or module.startswith("blog.")
    ]
    assert offenders == []
