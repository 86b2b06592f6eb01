"""Per-section profile visibility: owner, contact, stranger and anonymous on every
section (awards, skills map, featured, contacts count) and the profile as a whole."""

from dataclasses import dataclass
from typing import Any

from tests.helpers import Api, Person, published_badge, register, verified_issuer
from tests.profile_helpers import SECTIONS, USER, audit, award, befriend, feature, set_visibility

PROFILE = """query($h: String!) { user(handle: $h) { handle contactsCount
  awards { totalCount edges { node { id } } }
  awardGroups(by: ISSUER) { count }
  skills { level skill { name } }
  featuredAwards { id } } }"""


@dataclass
class Cast:
    owner: Person
    contact: Person
    stranger: Person
    award_id: str


async def cast(api: Api) -> Cast:
    """An owner with one featured credential, two contacts, a contact and a stranger."""
    issuer = await verified_issuer(api)
    owner, contact, stranger = await register(api), await register(api), await register(api)
    award_id = await award(api, issuer, await published_badge(api, issuer), owner)
    await feature(api, owner, [award_id])
    await befriend(api, owner, contact)
    await befriend(api, contact, owner)  # stored both ways: still one contact
    await befriend(api, stranger, await register(api))
    await befriend(api, await register(api), owner)
    return Cast(owner, contact, stranger, award_id)


def shows(profile: dict[str, Any] | None) -> dict[str, bool]:
    assert profile is not None
    return {
        "awards": profile["awards"]["totalCount"] == 1
        and len(profile["awards"]["edges"]) == 1
        and profile["awardGroups"] == [{"count": 1}],
        "skills": len(profile["skills"]) == 1,
        "featured": len(profile["featuredAwards"]) == 1,
        "contacts": profile["contactsCount"] == 2,
    }


def hides(profile: dict[str, Any]) -> dict[str, bool]:
    return {
        "awards": profile["awards"] == {"totalCount": 0, "edges": []}
        and profile["awardGroups"] == [],
        "skills": profile["skills"] == [],
        "featured": profile["featuredAwards"] == [],
        "contacts": profile["contactsCount"] is None,
    }


SEEN_BY = {
    "PUBLIC": {"owner", "contact", "stranger", "anonymous"},
    "CONTACTS": {"owner", "contact"},
    "PRIVATE": {"owner"},
}


async def test_every_section_shows_to_exactly_its_audience(api: Api) -> None:
    people = await cast(api)
    viewers = {
        "owner": people.owner.token,
        "contact": people.contact.token,
        "stranger": people.stranger.token,
        "anonymous": None,
    }
    for section in SECTIONS:
        for level, audience in SEEN_BY.items():
            await set_visibility(
                api, people.owner, **{s: "PUBLIC" for s in SECTIONS} | {section: level}
            )
            for viewer, token in viewers.items():
                data = await api.query(PROFILE, {"h": people.owner.handle}, token)
                profile = data["user"]
                expected = viewer in audience
                others = [s for s in SECTIONS if s != section]
                case = (section, level, viewer)
                assert all(shows(profile)[s] for s in others), case
                if expected:
                    assert shows(profile)[section], case
                else:
                    assert hides(profile)[section], case


async def test_the_profile_level_bounds_every_section_and_node_lookups(api: Api) -> None:
    people = await cast(api)
    node = "query($id: ID!) { node(id: $id) { id } }"
    for level, audience in SEEN_BY.items():
        await set_visibility(api, people.owner, profile=level, **dict.fromkeys(SECTIONS, "PUBLIC"))
        for viewer, token in {
            "owner": people.owner.token,
            "contact": people.contact.token,
            "stranger": people.stranger.token,
            "anonymous": None,
        }.items():
            data = await api.query(PROFILE, {"h": people.owner.handle}, token)
            by_id = await api.query(node, {"id": people.owner.id}, token)
            credential = await api.query(node, {"id": people.award_id}, token)
            seen = viewer in audience
            assert (data["user"] is not None) == seen, (level, viewer)
            assert (by_id["node"] is not None) == seen, (level, viewer)
            assert (credential["node"] is not None) == seen, (level, viewer)
            if seen:
                assert all(shows(data["user"]).values()), (level, viewer)

    # A hidden awards section hides the award by id too, unless it is featured and the
    # featured section is visible.
    await set_visibility(api, people.owner, profile="PUBLIC", awards="PRIVATE", featured="PUBLIC")
    assert (await api.query(node, {"id": people.award_id}))["node"] is not None
    await set_visibility(api, people.owner, featured="CONTACTS")
    assert (await api.query(node, {"id": people.award_id}))["node"] is None
    seen = await api.query(node, {"id": people.award_id}, people.contact.token)
    assert seen["node"] is not None


async def test_section_visibility_is_the_owners_business(api: Api) -> None:
    people = await cast(api)
    done = await set_visibility(api, people.owner, awards="CONTACTS", contacts="PRIVATE")
    assert done["sectionVisibility"] == {
        "profile": "PUBLIC",
        "awards": "CONTACTS",
        "skills": "PUBLIC",
        "featured": "PUBLIC",
        "contacts": "PRIVATE",
    }
    other = await api.query(
        "query($h: String!) { user(handle: $h) { sectionVisibility { awards } } }",
        {"h": people.owner.handle},
        people.contact.token,
    )
    assert other["user"]["sectionVisibility"] is None
    empty = await api.mutate("updateProfileVisibility", {}, USER, people.owner.token)
    assert empty["__typename"] == "ValidationError"
    anonymous = await api.mutate("updateProfileVisibility", {"awards": "PUBLIC"}, USER)
    assert anonymous["code"] == "UNAUTHENTICATED"
    rows = await audit(api, "Account", people.owner.id, "User", "profile.updated")
    assert rows[-1].data["props"] == {
        "awardsVisibility": "CONTACTS",
        "contactsVisibility": "PRIVATE",
    }
