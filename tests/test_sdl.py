"""The checked-in schema.graphql documents the API exactly as the code builds it."""

from odznaka_graph.sdl import sdl
from odznaka_graph.settings import PROJECT_ROOT


def test_checked_in_sdl_matches_the_code() -> None:
    checked_in = (PROJECT_ROOT / "schema.graphql").read_text()
    assert checked_in == sdl(), "schema.graphql is stale: run `make schema` and commit it"
