"""Builders for the pupil tests (issue 15): a class, a roster enrolled without e-mail,
sign-in codes redeemed."""

from typing import Any

from tests.helpers import Api, Issuer, Person
from tests.team_helpers import create_team

SLIP = """... on EnrolledPupils { sheetUrl team { id memberCount }
  pupils { userId handle name shownName signInCode codeExpiresAt redeemUrl } }"""
SESSION = "... on AuthPayload { accessToken userId }"
PASSWORD = "kolorowe jablka 77"


async def enrol(
    api: Api, token: str, team_id: str, *pupils: dict[str, Any], age_band: str = "FROM_13_TO_15"
) -> dict[str, Any]:
    data = {"teamId": team_id, "ageBand": age_band, "pupils": list(pupils)}
    return await api.mutate("enrolPupils", data, SLIP, token)


async def redeem(api: Api, code: str, password: str = PASSWORD) -> dict[str, Any]:
    return await api.mutate("redeemSignInCode", {"code": code, "password": password}, SESSION)


async def class_with_pupils(
    api: Api, issuer: Issuer, *pupils: dict[str, Any], age_band: str = "FROM_13_TO_15"
) -> tuple[dict[str, Any], list[Person]]:
    """A class of `issuer`'s owner with the roster enrolled and every pupil signed in."""
    team = await create_team(api, issuer)
    done = await enrol(api, issuer.owner.token, team["id"], *pupils, age_band=age_band)
    assert done["__typename"] == "EnrolledPupils", done
    people = []
    for slip in done["pupils"]:
        session = await redeem(api, slip["signInCode"])
        assert session["__typename"] == "AuthPayload", session
        people.append(Person(session["userId"], session["accessToken"], "", slip["handle"]))
    return team, people
