"""Cypher reaches Neo4j only as `LiteralString`: the graph's read and write helpers take
nothing else, so a query pieced together from text (a request's, say) fails the type check.
mypy reads `LiteralString` as plain `str`, so the check is pyright's (basedpyright)."""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from odznaka_graph.settings import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "src" / "odznaka_graph"
CHECKED = [
    *(PACKAGE / "graph_model").glob("*.py"),
    PACKAGE / "paging.py",
    PACKAGE / "demo",
]

PROBE = """
from odznaka_graph.graph_model.driver import Graph


async def by_handle(graph: Graph, handle: str) -> None:
    await graph.read(f"MATCH (u:User {{handle: '{handle}'}}) RETURN u")
"""


def _literal_string_errors(tmp_path: Path, files: list[Path]) -> list[dict[str, Any]]:
    config = {
        "typeCheckingMode": "basic",
        "pythonVersion": "3.11",
        "pythonPath": sys.executable,
        "extraPaths": [str(PROJECT_ROOT / "src")],
        "include": [str(path) for path in files],
    }
    (tmp_path / "pyrightconfig.json").write_text(json.dumps(config))
    checker = Path(sys.executable).parent / "basedpyright"
    done = subprocess.run(
        [str(checker), "--outputjson", "-p", str(tmp_path / "pyrightconfig.json")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(done.stdout)
    return [
        d
        for d in report["generalDiagnostics"]
        if d["severity"] == "error" and "LiteralString" in d["message"]
    ]


def test_only_literal_cypher_reaches_the_graph(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text(PROBE)
    errors = _literal_string_errors(tmp_path, [probe, *CHECKED])
    assert [(Path(e["file"]).name, e["range"]["start"]["line"]) for e in errors] == [
        ("probe.py", 5)
    ], errors
