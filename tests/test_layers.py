"""The wiring (issue 12): imports point one way, checked on the whole package with Python's
parser, and the type checker catches a broken link between the layers.

    resolvers → schema → services → graph_model / ledger, all free to use the neutral modules.
"""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from odznaka_graph.settings import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "src" / "odznaka_graph"
NEUTRAL = ("paging", "clock", "text_rules", "ids", "errors", "i18n", "outcomes")
# For each layer: the layers (package prefixes) it must never import, anywhere in a module.
FORBIDDEN = {
    "schema": ("resolvers", "api", "app"),  # stores: record types only (below)
    "resolvers": ("graph_model", "ledger", "app"),
    "services": ("schema", "resolvers", "api", "app"),
    "graph_model": ("schema", "resolvers", "services", "ledger", "api", "app"),
    "ledger": ("schema", "resolvers", "services", "graph_model", "api", "app"),
    # The read planner compiles documents to Cypher: it sits beside the executor, and
    # decides visibility with the services' rules.
    "planner": ("schema", "resolvers", "api", "app", "ledger"),
}


def imported(path: Path) -> list[tuple[int, str]]:
    """Every `odznaka_graph` module a file imports, at the top or inside a function."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            found += [(node.lineno, name) for name in names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
    return [(line, name) for line, name in found if name.startswith("odznaka_graph.")]


def layer_of(name: str) -> str:
    return name.split(".")[1]


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_a_layer_never_imports_the_layers_above_or_beside_it(layer: str) -> None:
    wrong = [
        f"{path.relative_to(PACKAGE)}:{line} imports {name}"
        for path in sorted((PACKAGE / layer).rglob("*.py"))
        for line, name in imported(path)
        if layer_of(name) in FORBIDDEN[layer]
    ]
    assert wrong == []


def test_schema_takes_only_record_types_from_the_stores() -> None:
    """Schema types wrap the records read views return; they call no store function."""
    stores = ("odznaka_graph.graph_model", "odznaka_graph.ledger")
    calls = []
    for path in sorted((PACKAGE / "schema").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                calls += [a.name for a in node.names if a.name.startswith(stores)]
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(stores):
                module_itself = node.module in stores  # `from ...graph_model import users`
                calls += [
                    f"{path.name}:{node.lineno} {node.module}.{a.name}"
                    for a in node.names
                    if module_itself or not a.name[0].isupper()
                ]
    assert calls == []


@pytest.mark.parametrize("module", NEUTRAL)
def test_neutral_modules_import_no_layer(module: str) -> None:
    path = PACKAGE / f"{module}.py"
    layers = {layer_of(name) for _, name in imported(path)}
    assert layers <= set(NEUTRAL), layers


def test_schema_and_resolvers_do_not_import_each_other_inside_functions() -> None:
    """A reference between the two layers is made when a module loads, never later."""
    late = []
    for layer in ("schema", "resolvers"):
        for path in sorted((PACKAGE / layer).glob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                for inner in ast.walk(node):
                    if isinstance(inner, ast.ImportFrom) and inner.module:
                        other = "resolvers" if layer == "schema" else "schema"
                        if inner.module.startswith(f"odznaka_graph.{other}"):
                            late.append(f"{path.name}:{inner.lineno} {inner.module}")
    assert late == []


def test_renaming_a_read_view_fails_the_type_check(tmp_path: Path) -> None:
    """The field `User.skills` calls `profile_reads.skill_map`; renaming it must fail mypy
    (the checker sees every layer: no blanket disables), where it is used."""
    copy = tmp_path / "src" / "odznaka_graph"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    reads = copy / "services" / "profile_reads.py"
    text = reads.read_text(encoding="utf-8")
    assert "async def skill_map(" in text
    reads.write_text(text.replace("async def skill_map(", "async def skills_map("))
    warm = PROJECT_ROOT / ".mypy_cache"  # `make lint` leaves it: only changed modules are checked
    if warm.is_dir():
        shutil.copytree(warm, tmp_path / "cache")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(PROJECT_ROOT / "pyproject.toml"),
            "--cache-dir",
            str(tmp_path / "cache"),
            str(copy),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 1, done.stdout
    assert "user_profile.py" in done.stdout and '"skill_map"' in done.stdout, done.stdout
