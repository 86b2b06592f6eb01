"""No N+1: database round trips per request do not grow with the lists returned."""

from odznaka_graph.observability import RoundTrips
from tests.helpers import AWARD, Api, published_badge, register, verified_issuer

CATALOGUE = """{ badges(first: 50) { totalCount edges { node {
  name issuer { name } outcomes { description skill { name } } activities { name } } } } }"""
ME = """{ me { awards(first: 50) { totalCount edges { node {
  status badge { name issuer { name } outcomes { skill { name } } }
  awardedBy { handle } } } } } }"""


async def _trips(api: Api, trips: RoundTrips, query: str, token: str | None = None) -> int:
    trips.neo4j = 0
    await api.query(query, token=token)
    return trips.neo4j


async def test_catalogue_and_profile_cost_the_same_for_2_and_8_items(
    api: Api, round_trips: RoundTrips
) -> None:
    issuer = await verified_issuer(api)
    learner = await register(api)
    counts = []
    for size in (2, 8):
        while len(await _badge_ids(api)) < size:
            badge_id = await published_badge(api, issuer)
            await api.mutate(
                "awardBadge",
                {"badgeId": badge_id, "recipientId": learner.id},
                AWARD,
                issuer.owner.token,
            )
        counts.append(
            (
                await _trips(api, round_trips, CATALOGUE),
                await _trips(api, round_trips, ME, learner.token),
            )
        )
    assert counts[0] == counts[1]
    catalogue_trips, profile_trips = counts[1]
    # catalogue: page+count, organisations, outcomes, skills, activities
    # profile: user, awards page+count, badges, awarding users, who blocks the viewer (read
    # once: someone who blocks the viewer is not shown as an awarder), organisations,
    # outcomes, skills
    assert (catalogue_trips, profile_trips) == (5, 8)


async def _badge_ids(api: Api) -> list[str]:
    data = await api.query("{ badges(first: 100) { edges { node { id } } } }")
    return [edge["node"]["id"] for edge in data["badges"]["edges"]]
