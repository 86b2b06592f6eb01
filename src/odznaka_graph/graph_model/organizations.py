"""Organization nodes (issuers) and their staff."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, LiteralString

from odznaka_graph.graph_model.driver import Graph, Tx, as_datetime, native
from odznaka_graph.graph_model.texts import flatten, unflatten

TEXT_FIELDS = ("name", "description")

UPSERT_ORGANIZATION: LiteralString = """
MERGE (o:Organization {id: $id})
ON CREATE SET o.createdAt = $createdAt, o.verification = 'PENDING'
SET o += $props
"""

SET_STATE: LiteralString = "MATCH (o:Organization {id: $id}) SET o += $props"

PUT_STAFF: LiteralString = """
MATCH (o:Organization {id: $orgId}), (u:User {id: $userId})
MERGE (u)-[s:STAFF_OF]->(o)
SET s.role = $role
"""

ORGANIZATIONS_BY_IDS: LiteralString = """
UNWIND $ids AS id
MATCH (o:Organization {id: id})
RETURN o {.*} AS org
"""


@dataclass(frozen=True)
class OrganizationRecord:
    id: str
    kind: str
    texts: dict[str, dict[str, str]]
    website: str | None
    verification: str
    agreement_accepted_at: datetime | None
    created_at: datetime


def to_organization(props: dict[str, Any]) -> OrganizationRecord:
    return OrganizationRecord(
        id=props["id"],
        kind=props["kind"],
        texts=unflatten(props, TEXT_FIELDS),
        website=props.get("website"),
        verification=props.get("verification", "PENDING"),
        agreement_accepted_at=as_datetime(props.get("agreementAcceptedAt")),
        created_at=native(props["createdAt"]),
    )


async def upsert_organization(tx: Tx, payload: dict[str, Any]) -> None:
    props = {"kind": payload["kind"], "website": payload.get("website")}
    props |= flatten({field: payload["texts"].get(field, {}) for field in TEXT_FIELDS})
    await tx.run(UPSERT_ORGANIZATION, id=payload["id"], createdAt=payload["at"], props=props)


async def set_state(tx: Tx, org_id: str, props: dict[str, Any]) -> None:
    await tx.run(SET_STATE, id=org_id, props=props)


async def put_staff(tx: Tx, org_id: str, user_id: str, role: str) -> None:
    await tx.run(PUT_STAFF, orgId=org_id, userId=user_id, role=role)


async def organizations_by_ids(graph: Graph, ids: list[str]) -> dict[str, OrganizationRecord]:
    rows = await graph.read(ORGANIZATIONS_BY_IDS, ids=ids)
    return {row["org"]["id"]: to_organization(row["org"]) for row in rows}
