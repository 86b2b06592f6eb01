"""Prints the schema as SDL: `python -m odznaka_graph.sdl > schema.graphql`."""

from odznaka_graph.api import build_schema
from odznaka_graph.settings import Settings


def sdl() -> str:
    return build_schema(Settings()).as_str() + "\n"


if __name__ == "__main__":
    print(sdl(), end="")
