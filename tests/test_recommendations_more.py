"""Path, event, people and club recommendations; every demo user gets some."""

import re
from datetime import UTC, datetime, timedelta

from odznaka_graph.demo.loader import DEMO_PASSWORD
from odznaka_graph.observability import RoundTrips
from tests.club_helpers import club_of, create_club
from tests.demo_snapshot import demo_world
from tests.event_helpers import attend, create_event, place
from tests.helpers import Api, Person, register, verified_issuer
from tests.recommendation_helpers import (
    badge_teaching,
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
PYTHON = ("Programowanie w Pythonie", "Python programming")
GIT = ("Kontrola wersji z Git", "Version control with Git")
USER = "... on User { id }"


async def test_paths_started_of_my_class_and_never_private_or_followed(api: Api) -> None:
    issuer = await verified_issuer(api)
    one = await badge_teaching(api, issuer, "Jeden", DATA)
    two = await badge_teaching(api, issuer, "Dwa", PYTHON)
    started = await create_path(
        api,
        issuer.owner.token,
        organizationId=issuer.org_id,
        steps=[step("a", one), step("b", two)],
    )
    followed = await create_path(
        api, issuer.owner.token, organizationId=issuer.org_id, steps=[step("a", two)]
    )
    mine, other = (
        await create_team(api, issuer, name="1a"),
        await create_team(api, issuer, name="1b"),
    )
    class_path = await create_path(
        api, issuer.owner.token, teamId=mine["id"], steps=[step("a", two)]
    )
    hidden = await create_path(api, issuer.owner.token, teamId=other["id"], steps=[step("a", one)])
    (learner,) = await pupils(api, mine["joinCode"], 1)
    await give(api, issuer, one, learner)
    await api.mutate("followPath", {"pathId": followed["id"]}, PATH, learner.token)

    rows = by_id(await recommended(api, learner, "PATH"))
    assert reason_text(rows[started["id"]], "PATH_STARTED") == "You already hold 1 of its 2 steps"
    assert reason_text(rows[class_path["id"]], "CLASS_PATH") == "A path of your class “Class 1a”"
    assert followed["id"] not in rows and hidden["id"] not in rows


async def test_nearby_events_teaching_something_new(api: Api) -> None:
    issuer = await verified_issuer(api)
    known = await badge_teaching(api, issuer, "Python", PYTHON)
    await badge_teaching(api, issuer, "Git", GIT)
    learner = await register(api)
    await give(api, issuer, known, learner)
    home = place("warszawa")
    await api.mutate("updateProfile", {"homePlace": home}, "__typename", learner.token)
    soon = datetime.now(UTC) + timedelta(days=9)
    skills = await _skill_ids(api)
    near = await create_event(
        api, issuer, "Git", soon, where="piaseczno", skillIds=[skills[GIT[1]]]
    )
    far = await create_event(
        api, issuer, "Git Kraków", soon, where="krakow", skillIds=[skills[GIT[1]]]
    )
    same = await create_event(api, issuer, "Python", soon, skillIds=[skills[PYTHON[1]]])
    going = await create_event(
        api, issuer, "Idę", soon, where="legionowo", skillIds=[skills[GIT[1]]]
    )
    await attend(api, going, learner.token)

    rows = by_id(await recommended(api, learner, "EVENT"))
    text = reason_text(rows[near], "NEARBY")
    assert re.fullmatch(
        r"1[5-8] km from you, (on|next) \w+day · Teaches Version control with Git, something "
        r"new for you",
        text,
    ), text
    assert 14 < rows[near]["node"]["distanceKm"] < 19
    assert "NEARBY" not in sources(rows.get(far, {"reasons": []}))
    assert "NEARBY" not in sources(rows.get(same, {"reasons": []}))  # nothing new there
    assert going not in rows
    polish = by_id(await recommended(api, learner, "EVENT", lang="pl"))[near]["reason"]
    assert re.match(r"1[5-8] km od Ciebie, w (przyszły |przyszłą )?\w+ · Uczy", polish), polish

    me = await api.query("{ me { homePlace { latitude address } } }", token=learner.token)
    assert me["me"]["homePlace"]["address"] == home["address"]
    centre = {"latitude": 50.0647, "longitude": 19.945}  # a client in Kraków
    there = by_id(await recommended(api, learner, "EVENT", near=centre))
    assert "NEARBY" in sources(there[far])


async def test_people_from_class_clubs_and_follows_but_never_hidden(api: Api) -> None:
    issuer = await verified_issuer(api)
    team = await create_team(api, issuer)
    me, mate, hidden, blocker, known = await pupils(api, team["joinCode"], 5)
    clubbed, followed, second_hop = [await register(api) for _ in range(3)]
    await club_of(api, clubbed, [me])
    await act(api, "follow", me, followed)
    await act(api, "follow", followed, second_hop)
    await act(api, "follow", me, known)
    await api.mutate("updateProfile", {"visibility": "PRIVATE"}, USER, hidden.token)
    await act(api, "blockUser", blocker, me)

    rows = {row["node"]["handle"]: row for row in await recommended(api, me, "PERSON")}
    assert reason_text(rows[mate.handle], "CLASSMATE") == "In your class “Class 3b”"
    assert reason_text(rows[clubbed.handle], "SHARED_CLUBS") == (
        "Also a member of “Board game club”"
    )
    assert reason_text(rows[second_hop.handle], "FOLLOWED_BY_FOLLOWED") == (
        "Followed by 1 person you follow"
    )
    for absent in (hidden, blocker, known, followed, me):
        assert absent.handle not in rows


async def test_clubs_where_contacts_are_but_never_members_only(api: Api) -> None:
    me, friend, owner = [await register(api) for _ in range(3)]
    await act(api, "requestContact", me, friend)
    await act(api, "acceptContact", friend, me)
    open_club = await club_of(api, owner, [friend])
    hidden_club = await secret_club(api, owner, friend)
    invite_only = await create_club(api, friend, join_policy="INVITE")
    already = await club_of(api, owner, [me, friend])

    rows = by_id(await recommended(api, me, "CLUB", lang="pl"))
    assert reason_text(rows[open_club], "CONTACTS_MEMBERS") == "1 Twój kontakt należy do tego klubu"
    for absent in (hidden_club, invite_only, already):
        assert absent not in rows


async def test_every_kind_costs_one_round_trip_plus_loaders(
    api: Api, round_trips: RoundTrips
) -> None:
    person = await register(api)
    for kind in ("PATH", "EVENT", "PERSON", "CLUB"):
        round_trips.neo4j = 0
        await recommended(api, person, kind)
        assert round_trips.neo4j == 2, (kind, round_trips.queries)  # the user, the list


async def test_every_demo_user_gets_recommendations(api: Api) -> None:
    await demo_world(api.runtime)
    # Everyone with a demo address (the class enrolled without e-mails signs in otherwise).
    emails = await api.runtime.services.stores.graph.read(
        "MATCH (u:User) WHERE NOT coalesce(u.pupil, false) RETURN u.handle AS h"
    )
    # Demo events have fixed dates: once they are all past, there is no event to suggest.
    upcoming = await api.runtime.services.stores.graph.read(
        "MATCH (e:Event) WHERE e.startsAt > datetime() RETURN count(e) AS n"
    )
    kinds = ("BADGE", "EVENT") if upcoming[0]["n"] else ("BADGE",)
    for row in emails:
        person = await _login(api, row["h"])
        for kind in kinds:
            found = await recommended(api, person, kind, lang="pl")
            assert found, (row["h"], kind)
            assert all(item["reason"] for item in found)


async def _login(api: Api, handle: str) -> Person:
    email = f"{handle}@demo.odznaka.pl"
    session = await api.mutate(
        "login",
        {"email": email, "password": DEMO_PASSWORD},
        "... on AuthPayload { accessToken userId }",
    )
    return Person(session["userId"], session["accessToken"], email, handle)


async def _skill_ids(api: Api) -> dict[str, str]:
    data = await api.query('{ skills(search: "") { id name(lang: EN) } }')
    return {skill["name"]: skill["id"] for skill in data["skills"]}
