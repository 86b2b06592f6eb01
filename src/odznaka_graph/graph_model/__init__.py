"""Neo4j: migrations, per-domain Cypher and record mapping. Never imports strawberry."""
