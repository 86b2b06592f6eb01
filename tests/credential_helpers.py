"""Builders for the signed-credential tests: exports, schema validation, tampering, and
the outside verifier (tests/node/verify.mjs) run as a subprocess."""

import copy
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from jsonschema import Draft201909Validator

from odznaka_graph.credentials import extension
from tests.helpers import Api, Person

HERE = Path(__file__).parent
# The official Open Badges 3.0 AchievementCredential JSON Schema (VCDM 2.0), as 1EdTech
# generates it: see tests/schemas/SOURCE.md.
OB_SCHEMA = json.loads((HERE / "schemas" / "ob_v3p0_achievementcredential_schema.json").read_text())
NODE_DIR = HERE / "node"

SIGNED = "... on SignedCredential { format document mediaType fileName signedAt award { id } }"
CHECKS = """status reasons format checks { name kind passed reason code }
    award { id } badgeName issuerName"""


async def export(
    api: Api, award_id: str, person: Person | None, fmt: str = "DATA_INTEGRITY"
) -> dict[str, Any]:
    return await api.mutate(
        "exportCredential",
        {"awardId": award_id, "format": fmt},
        SIGNED,
        person.token if person else None,
    )


async def verify_pasted(api: Api, document: str, person: Person | None = None) -> dict[str, Any]:
    query = f"query($d: String!) {{ verifyCredential(document: $d) {{ {CHECKS} }} }}"
    data = await api.query(query, {"d": document}, person.token if person else None)
    return data["verifyCredential"]  # type: ignore[no-any-return]


def schema_errors(credential: dict[str, Any], base_url: str) -> list[str]:
    """What the official OB 3.0 schema and our extension's schema find wrong."""
    found = []
    for schema in (OB_SCHEMA, extension.schema(base_url)):
        validator = Draft201909Validator(schema)
        found += [
            f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(credential)
        ]
    return found


def tampered(document: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    """A copy with one field set (or removed when value is ...)."""
    changed = copy.deepcopy(document)
    target = changed
    for step in path[:-1]:
        target = target[step]
    if value is ...:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return changed


def outside_verifier(credential: dict[str, Any] | str) -> dict[str, Any]:
    """Digital Bazaar's vc library (or jose, for a JWT) on the credential, in node."""
    node = shutil.which("node")
    assert node is not None, "node is needed: it comes with the test dependencies"
    assert (NODE_DIR / "node_modules").is_dir(), "run `make node-deps` (npm ci in tests/node)"
    done = subprocess.run(
        [node, str(NODE_DIR / "verify.mjs")],
        input=json.dumps({"credential": credential}),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]
