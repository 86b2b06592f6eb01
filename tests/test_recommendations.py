"""Badge recommendations: each source with its reason, and what is never recommended."""

from odznaka_graph.graph_model.recommendations import QUERIES
from odznaka_graph.observability import RoundTrips
from odznaka_graph.schema.recommendations import RecommendationSource
from odznaka_graph.services.recommendation_texts import EN, PL
from tests.club_helpers import club_of, nominate, peer_badge
from tests.helpers import BADGE, Api, register, verified_issuer
from tests.recommendation_helpers import (
    badge_teaching,
    broader,
    by_id,
    give,
    reason_text,
    recommended,
    secret_club,
    sources,
)
from tests.social_helpers import act
from tests.team_helpers import PATH, create_path, create_team, pupils, step

DATA = ("Analiza danych", "Data analysis")
RISK = ("Zarządzanie ryzykiem projektu", "Project risk management")
IT_RISK = ("Ryzyko w projektach IT", "Risk in IT projects")
PYTHON = ("Programowanie w Pythonie", "Python programming")


async def test_next_steps_of_a_followed_path_respect_prerequisites(api: Api) -> None:
    issuer = await verified_issuer(api)
    first = await badge_teaching(api, issuer, "Krok pierwszy", DATA)
    second = await badge_teaching(api, issuer, "Krok drugi", DATA)
    third = await badge_teaching(api, issuer, "Krok trzeci", DATA)
    path = await create_path(
        api,
        issuer.owner.token,
        organizationId=issuer.org_id,
        steps=[step("a", first), step("b", second, prerequisites=["a"]), step("c", third)],
    )
    learner = await register(api)
    await api.mutate("followPath", {"pathId": path["id"]}, PATH, learner.token)

    rows = by_id(await recommended(api, learner, "BADGE"))
    assert "PATH_NEXT" in sources(rows[first]) and "PATH_NEXT" in sources(rows[third])
    assert second not in rows or "PATH_NEXT" not in sources(rows[second])  # waits for "a"
    assert reason_text(rows[first], "PATH_NEXT") == (
        "Next step of the path “Analyst path” you follow"
    )

    await give(api, issuer, first, learner)
    rows = by_id(await recommended(api, learner, "BADGE", lang="pl"))
    assert first not in rows  # held
    assert rows[second]["reason"] == "Kolejny krok obserwowanej ścieżki „Ścieżka analityka”"


async def test_skill_gaps_use_the_skill_hierarchy(api: Api) -> None:
    issuer = await verified_issuer(api)
    on_path = await badge_teaching(api, issuer, "Zarządzanie projektem", RISK)
    narrower = await badge_teaching(api, issuer, "Ryzyko w IT", IT_RISK)
    other = await badge_teaching(api, issuer, "Python", PYTHON)
    await broader(api, IT_RISK[0], RISK[0])
    path = await create_path(
        api, issuer.owner.token, organizationId=issuer.org_id, steps=[step("a", on_path)]
    )
    learner = await register(api)
    await api.mutate("followPath", {"pathId": path["id"]}, PATH, learner.token)

    rows = by_id(await recommended(api, learner, "BADGE"))
    assert reason_text(rows[narrower], "SKILL_GAP") == (
        "Teaches Project risk management, which your goal path “Analyst path” needs"
    )
    assert "SKILL_GAP" not in sources(rows.get(other, {"reasons": []}))

    skill = await _skill_id(api, PYTHON[1])
    chosen = by_id(await recommended(api, learner, "BADGE", skills=[skill]))
    assert reason_text(chosen[other], "CHOSEN_SKILL") == (
        "Teaches Python programming, a skill you are looking for"
    )

    # A credential in the narrower skill counts as knowing the broader one: no gap left.
    await give(api, issuer, narrower, learner)
    rows = by_id(await recommended(api, learner, "BADGE"))
    assert all("SKILL_GAP" not in sources(row) for row in rows.values())


async def test_co_earned_credentials_are_damped_by_popularity(api: Api) -> None:
    issuer = await verified_issuer(api)
    mine = await badge_teaching(api, issuer, "Moja", DATA)
    niche = await badge_teaching(api, issuer, "Niszowa", PYTHON)
    popular = await badge_teaching(api, issuer, "Popularna", RISK)
    me, *alike = [await register(api) for _ in range(4)]
    crowd = [await register(api) for _ in range(8)]
    await give(api, issuer, mine, me, *alike)
    await give(api, issuer, niche, *alike)
    await give(api, issuer, popular, *alike, *crowd)

    ranked = await recommended(api, me, "BADGE")
    order = [row["node"]["id"] for row in ranked]
    assert order.index(niche) < order.index(popular)
    assert (
        reason_text(ranked[0], "CO_EARNED")
        == "3 people who earned “Moja (EN)” went on to earn this"
    )
    polish = await recommended(api, me, "BADGE", lang="pl")
    assert polish[0]["reason"] == "3 osoby, które zdobyły „Moja”, zdobyły potem tę odznakę"


async def test_popular_in_my_class_and_club(api: Api) -> None:
    issuer = await verified_issuer(api)
    badge = await badge_teaching(api, issuer, "Klasowa", DATA)
    team = await create_team(api, issuer)
    me, *mates = await pupils(api, team["joinCode"], 3)
    await give(api, issuer, badge, *mates)
    row = by_id(await recommended(api, me, "BADGE"))[badge]
    assert reason_text(row, "CLASS_POPULAR") == "2 people in your class “Class 3b” earned this"

    club = await club_of(api, mates[0], [me, mates[1]])
    await give(
        api, issuer, (other := await badge_teaching(api, issuer, "Klubowa", PYTHON)), mates[1]
    )
    row = by_id(await recommended(api, me, "BADGE", lang="pl"))[other]
    assert reason_text(row, "CLUB_POPULAR") == (
        "1 osoba z Twojego klubu „Klub Planszówkowy” zdobyła tę odznakę"
    )
    assert club


async def test_never_unpublished_hidden_or_blocked(api: Api) -> None:
    issuer = await verified_issuer(api)
    shown = await badge_teaching(api, issuer, "Widoczna", DATA)
    draft = await api.mutate(
        "createBadge",
        {"organizationId": issuer.org_id, "content": {"name": [{"lang": "PL", "text": "Szkic"}]}},
        BADGE,
        issuer.owner.token,
    )
    me, friend, hidden, blocker = [await register(api) for _ in range(4)]
    secret = await peer_badge(api, await secret_club(api, friend, hidden), friend, "Tajna")
    nominated = await nominate(api, secret, hidden, friend)
    assert nominated["status"] == "AWARDED", nominated
    team = await create_team(api, issuer)
    for person in (me, friend, hidden, blocker):
        await api.mutate("joinTeam", {"code": team["joinCode"]}, "... on Team { id }", person.token)
    await give(api, issuer, shown, friend, hidden, blocker)
    private = await badge_teaching(api, issuer, "Prywatna", PYTHON)
    await give(api, issuer, private, hidden)
    await api.mutate("updateProfileVisibility", {"awards": "PRIVATE"}, "__typename", hidden.token)
    await act(api, "blockUser", blocker, me)

    rows = by_id(await recommended(api, me, "BADGE", first=50))
    assert draft["id"] not in rows and secret not in rows
    assert rows[shown]["reasons"][0]["count"] == 1  # only the friend's award is seen
    assert "CLASS_POPULAR" not in sources(rows.get(private, {"reasons": []}))


async def test_only_the_viewer_gets_recommendations(api: Api) -> None:
    me, other = await register(api), await register(api)
    query = "query($h: String!) { user(handle: $h) { recommendations(kind: BADGE) { score } } }"
    data = await api.query(query, {"h": me.handle}, other.token)
    assert data["user"]["recommendations"] == []
    bad = await api.raw(
        "{ me { recommendations(kind: BADGE, first: 0) { score } } }", token=me.token
    )
    assert "1 to 50" in bad.json()["errors"][0]["message"]


async def test_round_trips_do_not_grow_with_the_list(api: Api, round_trips: RoundTrips) -> None:
    issuer = await verified_issuer(api)
    me, mate = await register(api), await register(api)
    for index in range(8):
        badge = await badge_teaching(api, issuer, f"Odznaka {index}", DATA)
        await give(api, issuer, badge, mate)
    query = """query($first: Int!) { me { recommendations(kind: BADGE, first: $first) {
      reason node { ... on Badge { name issuer { name } outcomes { skill { name } } } } } } }"""
    counts = []
    for first in (2, 8):
        round_trips.neo4j = 0
        data = await api.query(query, {"first": first}, me.token)
        assert len(data["me"]["recommendations"]) == first
        counts.append(round_trips.neo4j)
    # the user, the recommendations, organisations, outcomes, skills
    assert counts == [5, 5]


async def _skill_id(api: Api, search: str) -> str:
    data = await api.query("query($s: String!) { skills(search: $s) { id } }", {"s": search})
    return data["skills"][0]["id"]  # type: ignore[no-any-return]


def test_every_source_has_words_in_both_languages_and_an_api_name() -> None:
    queries = " ".join(query for query, _ in QUERIES.values())
    for source in RecommendationSource:
        assert source.value in EN and source.value in PL, source
        assert f"'{source.value}'" in queries, source
    assert set(EN) == set(PL) == {source.value for source in RecommendationSource}
