"""The demo world for tests that read it: loaded for real once per session, then put back
from a snapshot of both stores (taken right after that load) in a fraction of a second,
instead of loading it again through the services for each test (seconds each)."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from odznaka_graph.demo.loader import load_demo
from odznaka_graph.graph_model.driver import generated
from odznaka_graph.ledger.tables import metadata
from odznaka_graph.runtime import Runtime

NODES = (
    "MATCH (n) WHERE NOT n:SchemaMigration "
    "RETURN elementId(n) AS k, labels(n) AS labels, properties(n) AS p"
)
TIES = (
    "MATCH (a)-[r]->(b) WHERE NOT a:SchemaMigration AND NOT b:SchemaMigration "
    "RETURN elementId(a) AS a, elementId(b) AS b, type(r) AS t, properties(r) AS p"
)


@dataclass(frozen=True)
class Snapshot:
    nodes: dict[tuple[str, ...], list[dict[str, Any]]]  # by labels
    ties: dict[str, list[dict[str, Any]]]  # by type
    rows: dict[str, list[dict[str, Any]]]  # by table


_taken: dict[int, Snapshot] = {}


async def demo_world(runtime: Runtime) -> None:
    """The demo in the stores the test started with (emptied by `clean_stores`)."""
    ledger = runtime.services.stores.ledger
    assert ledger.engine.dialect.name == "sqlite", "the snapshot keeps no sequences"
    if id(runtime) not in _taken:
        assert await load_demo(runtime.services) is True
        _taken[id(runtime)] = await _take(runtime)
        return
    await _restore(runtime, _taken[id(runtime)])


async def _take(runtime: Runtime) -> Snapshot:
    graph = runtime.services.stores.graph
    nodes: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for row in await graph.read(NODES):
        nodes[tuple(sorted(row["labels"]))].append({"k": row["k"], "p": row["p"]})
    ties: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in await graph.read(TIES):
        ties[row["t"]].append({"a": row["a"], "b": row["b"], "p": row["p"]})
    rows: dict[str, list[dict[str, Any]]] = {}
    async with runtime.services.stores.ledger.reading() as conn:
        for table in metadata.sorted_tables:
            rows[table.name] = [dict(row._mapping) for row in await conn.execute(table.select())]
    return Snapshot(dict(nodes), dict(ties), rows)


async def _restore(runtime: Runtime, snapshot: Snapshot) -> None:
    graph = runtime.services.stores.graph
    for labels, items in snapshot.nodes.items():
        names = "".join(f":`{label}`" for label in labels)
        create = (
            f"UNWIND $items AS i CREATE (n{names}:DemoSnapshot) SET n = i.p, n.snapshotKey = i.k"
        )
        await graph.write(generated(create), items=items)
    await graph.write(
        "CREATE INDEX demo_snapshot IF NOT EXISTS FOR (n:DemoSnapshot) ON (n.snapshotKey)"
    )
    await graph.write("CALL db.awaitIndexes(60)")
    for kind, items in snapshot.ties.items():
        tie = (
            "UNWIND $items AS i MATCH (a:DemoSnapshot {snapshotKey: i.a}) "
            f"MATCH (b:DemoSnapshot {{snapshotKey: i.b}}) CREATE (a)-[r:`{kind}`]->(b) SET r = i.p"
        )
        await graph.write(generated(tie), items=items)
    await graph.write("MATCH (n:DemoSnapshot) REMOVE n:DemoSnapshot REMOVE n.snapshotKey")
    await graph.write("DROP INDEX demo_snapshot IF EXISTS")
    async with runtime.services.stores.ledger.transaction() as conn:
        for table in metadata.sorted_tables:
            if snapshot.rows[table.name]:
                await conn.execute(sa.insert(table), snapshot.rows[table.name])
