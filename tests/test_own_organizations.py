"""`me { organizations }`: the viewer's own organisations and roles, nobody else's."""

from tests.helpers import ORG, Api, register, tx

QUERY = "{ me { organizations { role organization { id } } } }"


async def test_me_lists_own_organisations_with_roles(api: Api) -> None:
    owner, issuer, stranger = await register(api), await register(api), await register(api)
    org = await api.mutate(
        "createOrganization", {"kind": "SCHOOL", "name": tx("Szkoła")}, ORG, owner.token
    )
    staff = {"organizationId": org["id"], "userId": issuer.id, "role": "ISSUER"}
    await api.mutate("addOrganizationStaff", staff, ORG, owner.token)
    for person, role in ((owner, "OWNER"), (issuer, "ISSUER")):
        found = (await api.query(QUERY, token=person.token))["me"]["organizations"]
        assert found == [{"role": role, "organization": {"id": org["id"]}}]
    assert (await api.query(QUERY, token=stranger.token))["me"]["organizations"] == []
    other = f'{{ user(handle: "{owner.handle}") {{ organizations {{ role }} }} }}'
    assert (await api.query(other, token=stranger.token))["user"]["organizations"] == []
