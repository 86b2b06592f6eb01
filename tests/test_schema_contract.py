"""The contract as a client sees it through introspection: every type, field, argument,
input field and enum value is described; every connection pages both ways and counts;
every mutation error carries a code and a reason from a described enum.

What is still undescribed or one-way is listed in tests/schema_gaps.txt: the list may only
shrink (a listed item that is fixed fails the test until it is struck off)."""

from pathlib import Path
from typing import Any

from graphql import get_introspection_query

from tests.helpers import Api

GAPS = Path(__file__).with_name("schema_gaps.txt")
PAGING = {"first", "after", "last", "before"}


def _named(type_ref: dict[str, Any]) -> dict[str, Any]:
    while type_ref.get("ofType"):
        type_ref = type_ref["ofType"]
    return type_ref


def _undescribed(kind: dict[str, Any]) -> list[str]:
    name = kind["name"]
    gaps = [] if kind.get("description") else [f"type {name}"]
    for field in kind.get("fields") or []:
        if not field.get("description"):
            gaps.append(f"field {name}.{field['name']}")
        gaps += [
            f"argument {name}.{field['name']}({arg['name']})"
            for arg in field["args"]
            if not arg.get("description")
        ]
    for field in kind.get("inputFields") or []:
        if not field.get("description"):
            gaps.append(f"field {name}.{field['name']}")
    for value in kind.get("enumValues") or []:
        if not value.get("description"):
            gaps.append(f"value {name}.{value['name']}")
    return gaps


def _one_way(kind: dict[str, Any], types: dict[str, dict[str, Any]]) -> list[str]:
    gaps = []
    for field in kind.get("fields") or []:
        target = _named(field["type"])["name"] or ""
        if not target.endswith("Connection"):
            continue
        args = {arg["name"] for arg in field["args"]}
        if not PAGING <= args:
            gaps.append(f"paging {kind['name']}.{field['name']}")
        counted = {f["name"] for f in types[target]["fields"]}
        if not {"totalCount", "edges", "pageInfo"} <= counted:
            gaps.append(f"connection {target}")
    return gaps


def _error_problems(types: dict[str, dict[str, Any]]) -> list[str]:
    problems = []
    errors = [t for t in types.values() if "MutationError" in _interfaces(t)]
    assert len(errors) >= 6
    for error in errors:
        fields = {f["name"]: f["type"] for f in error["fields"]}
        if fields.get("code", {}).get("kind") != "NON_NULL":
            problems.append(f"{error['name']} has no non-null code")
        reason = fields.get("reason")
        enum = types.get(_named(reason)["name"]) if reason else None
        if reason is None or reason["kind"] != "NON_NULL" or enum is None:
            problems.append(f"{error['name']} has no non-null reason")
        elif enum["kind"] != "ENUM" or _undescribed(enum):
            problems.append(f"{error['name']}.reason is not a described enum")
    return problems


def _interfaces(kind: dict[str, Any]) -> set[str]:
    return {i["name"] for i in kind.get("interfaces") or []}


async def _types(api: Api) -> dict[str, dict[str, Any]]:
    schema = (await api.query(get_introspection_query(descriptions=True)))["__schema"]
    return {t["name"]: t for t in schema["types"] if not t["name"].startswith("__")}


async def test_every_part_of_the_schema_is_described_and_pages_both_ways(api: Api) -> None:
    types = await _types(api)
    found = set()
    for kind in types.values():
        found |= set(_undescribed(kind)) | set(_one_way(kind, types))
    listed = {line for line in GAPS.read_text().splitlines() if line and line[0] != "#"}
    assert sorted(found - listed) == [], "new gaps in the contract"
    assert sorted(listed - found) == [], "fixed: strike these off tests/schema_gaps.txt"


async def test_every_mutation_error_has_a_code_and_a_described_reason(api: Api) -> None:
    assert _error_problems(await _types(api)) == []
