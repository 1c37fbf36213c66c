"""The code's shape, held by tests where the import contracts (pyproject.toml) cannot reach:
small modules, area packages whose __init__ says only what the area is, and operations and
queries that never read the request."""

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "licensing"
AREAS = ["admin", "auth", "decisions", "hearings", "holders", "imports", "main", "public_register", "reports",
         "reviews", "revocations", "training"]


def _modules():
    return sorted(PACKAGE.rglob("*.py"))


def _layer_modules(layer):
    """Every module of `layer` (operations, queries): a module of that name or inside a package of it."""
    return [path for path in _modules()
            if path.stem == layer or layer in path.relative_to(PACKAGE).parts[:-1]]


def test_no_module_is_over_500_lines():
    long = {str(path.relative_to(ROOT)): n for path in _modules()
            if (n := len(path.read_text().splitlines())) > 500}
    assert long == {}


def test_area_packages_hold_only_a_docstring():
    for area in AREAS:
        tree = ast.parse((PACKAGE / area / "__init__.py").read_text())
        assert len(tree.body) == 1 and isinstance(tree.body[0], ast.Expr), area
        assert isinstance(tree.body[0].value, ast.Constant) and tree.body[0].value.value.strip(), area


def test_each_area_keeps_its_blueprint_with_its_routes():
    for area in AREAS:
        views = PACKAGE / area / "views.py"
        source = views if views.exists() else PACKAGE / area / "views" / "__init__.py"
        assert "Blueprint(" in source.read_text(), area


def _reads_request_or_user(path):
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module in ("flask", "flask_login"):
            found += [alias.name for alias in node.names if alias.name in ("request", "current_user", "session")]
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "flask" \
                and node.attr in ("request", "session"):
            found.append(node.attr)
    return found


def test_operations_and_queries_take_what_they_need_as_arguments():
    modules = _layer_modules("operations") + _layer_modules("queries")
    assert len(modules) > 15  # the search finds the layers
    offending = {str(path.relative_to(ROOT)): names for path in modules if (names := _reads_request_or_user(path))}
    assert offending == {}


def test_the_layout_check_sees_a_module_that_reads_the_request(tmp_path):
    module = tmp_path / "operations.py"
    module.write_text("from flask import current_app, request\n")
    assert _reads_request_or_user(module) == ["request"]
