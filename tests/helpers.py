"""A small GraphQL client and builders for the objects most tests need."""

import asyncio
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from odznaka_graph.runtime import Runtime

_counter = itertools.count(1)


class GraphQLErrors(AssertionError):
    pass


@dataclass
class Api:
    client: httpx.AsyncClient
    runtime: Runtime
    headers: dict[str, str] = field(default_factory=dict)

    async def raw(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        sent = dict(headers or {})
        if token:
            sent["Authorization"] = f"Bearer {token}"
        return await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=sent
        )

    async def query(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        response = await self.raw(query, variables, token, headers)
        if self.runtime is not None and query.lstrip().startswith("mutation"):
            # Awards answer before their projection and handlers (issue 17); a test that
            # reads the stores directly next reads them as they are once those ran.
            await self.runtime.services.stores.projector.settle()
        body = response.json()
        if body.get("errors"):
            raise GraphQLErrors(body["errors"])
        assert response.status_code == 200, body
        return body["data"]  # type: ignore[no-any-return]

    async def mutate(
        self, name: str, input: dict[str, Any], selection: str, token: str | None = None
    ) -> dict[str, Any]:
        query = (
            f"mutation($input: {_input_type(name)}!) {{ {name}(input: $input) {{ __typename "
            f"... on MutationError {{ code message reason }} "
            f"... on ValidationError {{ fields {{ field message }} }} "
            f"... on RateLimitedError {{ retryAfterSeconds }} {selection} }} }}"
        )
        return (await self.query(query, {"input": input}, token))[name]  # type: ignore[no-any-return]


INPUT_TYPES = {
    "submitBadgeForReview": "BadgeIdInput",
    "archiveBadge": "BadgeIdInput",
    "publishBadge": "BadgeIdInput",
    "addOrganizationStaff": "AddOrganizationStaffInput",
}


def _input_type(name: str) -> str:
    return INPUT_TYPES.get(name, name[0].upper() + name[1:] + "Input")


@dataclass
class Person:
    id: str
    token: str
    email: str
    handle: str


async def register(api: Api, handle: str | None = None) -> Person:
    handle = handle or f"user{next(_counter)}"
    email = f"{handle}@example.org"
    result = await api.mutate(
        "register",
        {
            "email": email,
            "password": "correct horse battery",
            "handle": handle,
            "displayName": handle.title(),
        },
        "... on AuthPayload { accessToken userId }",
    )
    assert result["__typename"] == "AuthPayload", result
    return Person(result["userId"], result["accessToken"], email, handle)


async def reviewer(api: Api) -> Person:
    person = await register(api, f"reviewer{next(_counter)}")
    await api.runtime.services.accounts.grant_reviewer(person.email)
    login = await api.mutate(
        "login",
        {"email": person.email, "password": "correct horse battery"},
        "... on AuthPayload { accessToken }",
    )
    person.token = login["accessToken"]
    return person


def tx(pl: str, en: str | None = None) -> list[dict[str, str]]:
    texts = [{"lang": "PL", "text": pl}]
    return texts + ([{"lang": "EN", "text": en}] if en else [])


def complete_badge(name: str = "Analiza danych", en: str = "Data analysis") -> dict[str, Any]:
    return {
        "name": tx(name, en),
        "description": tx("Opis odznaki.", "Badge description."),
        "imageUrl": "https://img.example.org/badge.png",
        "outcomes": [
            {
                "skillName": tx("Analiza danych", "Data analysis"),
                "description": tx("Analizuje dane w arkuszu.", "Analyses data in a spreadsheet."),
                "checkCriteria": [
                    {"lang": "PL", "items": ["Tworzy tabelę przestawną."]},
                    {"lang": "EN", "items": ["Builds a pivot table."]},
                ],
            }
        ],
        "assessment": tx("Projekt końcowy oceniany przez trenera.", "A final project."),
        "identityVerification": ["EMAIL_VERIFICATION"],
        "workloadHours": 12,
        "form": "ONLINE",
        "howToObtain": tx("Ukończ kurs i projekt.", "Finish the course and project."),
        "qualityAssurance": tx("Program recenzowany co rok.", "Reviewed yearly."),
        "tags": ["dane", "excel"],
        "cost": {"kind": "FREE"},
        "eqfLevel": 4,
        "validityDays": 365,
    }


ORG = "... on Organization { id verification }"
BADGE = "... on Badge { id status name }"
AWARD = "... on Award { id status issuedAt expiresAt }"


@dataclass
class Issuer:
    owner: Person
    reviewer: Person
    org_id: str


async def verified_issuer(api: Api) -> Issuer:
    owner = await register(api)
    checker = await reviewer(api)
    org = await api.mutate(
        "createOrganization",
        {"kind": "TRAINING_PROVIDER", "name": tx("Akademia Testowa")},
        ORG,
        owner.token,
    )
    await api.mutate("acceptIssuerAgreement", {"organizationId": org["id"]}, ORG, owner.token)
    done = await api.mutate(
        "reviewOrganization", {"organizationId": org["id"], "approve": True}, ORG, checker.token
    )
    assert done["verification"] == "VERIFIED", done
    return Issuer(owner, checker, org["id"])


async def published_badge(api: Api, issuer: Issuer, **content: Any) -> str:
    badge = await api.mutate(
        "createBadge",
        {"organizationId": issuer.org_id, "content": complete_badge() | content},
        BADGE,
        issuer.owner.token,
    )
    assert badge["__typename"] == "Badge", badge
    await api.mutate("submitBadgeForReview", {"badgeId": badge["id"]}, BADGE, issuer.owner.token)
    done = await api.mutate(
        "reviewBadge", {"badgeId": badge["id"], "approve": True}, BADGE, issuer.reviewer.token
    )
    assert done["status"] == "PUBLISHED", done
    return badge["id"]  # type: ignore[no-any-return]


async def until(done: Callable[[], bool], seconds: float = 20) -> None:
    """Waits until `done()` holds, polling; fails the test after `seconds`."""
    for _ in range(int(seconds / 0.05)):
        if done():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"not within {seconds:g} s")
