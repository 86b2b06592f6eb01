"""The people area's imports point one way (issue 12): its schema types never import the
resolvers (neither at the top nor inside a function), and its resolvers import no store;
what they read comes from the services' read views."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "odznaka_graph"
SCHEMA = [
    "accounts",
    "user_profile",
    "user_social",
    "profiles",
    "social",
    "external_credentials",
    "signed_credentials",
    "skills",
]
RESOLVERS = [
    "accounts",
    "profiles",
    "social",
    "external_credentials",
    "signed_credentials",
    "nodes",
    "operation_loaders",
]
STORES = ("odznaka_graph.graph_model", "odznaka_graph.ledger")


def imported(path: Path) -> list[str]:
    """Every module a file imports, wherever the import statement is."""
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
            names.extend(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("name", SCHEMA)
def test_schema_modules_do_not_import_resolvers(name: str) -> None:
    found = [m for m in imported(PACKAGE / "schema" / f"{name}.py") if ".resolvers" in m]
    assert found == [], f"schema/{name}.py imports {found}"


@pytest.mark.parametrize("name", RESOLVERS)
def test_resolvers_import_no_store(name: str) -> None:
    found = [m for m in imported(PACKAGE / "resolvers" / f"{name}.py") if m.startswith(STORES)]
    assert found == [], f"resolvers/{name}.py imports {found}"


def test_audience_helpers_live_in_the_visibility_service() -> None:
    assert not (PACKAGE / "resolvers" / "audience.py").exists()
