"""Pupils enrolled without e-mail (issue 15): the roster, one-time sign-in codes, the
printed slips, who manages a class, and a guardian's consent under 16."""

import io
from datetime import timedelta

import pypdf
import sqlalchemy as sa
import zxingcpp
from PIL import Image

from odznaka_graph.clock import now
from odznaka_graph.ids import local_id
from odznaka_graph.ledger.tables import pupil_codes
from tests.club_helpers import club_of
from tests.helpers import ORG, Api, Person, register, verified_issuer
from tests.pupil_helpers import PASSWORD, SESSION, class_with_pupils, enrol, redeem
from tests.pupil_helpers import consent_token as _consent_token
from tests.recommendation_helpers import recommended
from tests.social_helpers import act
from tests.team_helpers import create_team
from tests.team_helpers import join as join_team

ROSTER = """query($id: ID!) { team(id: $id) { id memberCount
  roster { userId handle name shownName ageBand signedInAt }
  members { edges { node { role handle displayName user { id } } } } } }"""
ANNA = {"name": "Anna Kowalska"}
OLEK = {"name": "Aleksander Nowak", "pseudonym": "Zielony Smok"}


async def _roster(api: Api, team_id: str, token: str | None) -> dict | None:  # type: ignore[type-arg]
    return (await api.query(ROSTER, {"id": team_id}, token))["team"]  # type: ignore[no-any-return]


async def test_a_teacher_enrols_a_class_without_e_mails(api: Api) -> None:
    issuer = await verified_issuer(api)
    team = await create_team(api, issuer)
    done = await enrol(api, issuer.owner.token, team["id"], ANNA, OLEK)
    assert done["__typename"] == "EnrolledPupils", done
    anna, olek = done["pupils"]
    assert (anna["name"], anna["shownName"]) == ("Anna Kowalska", "Anna K.")
    assert (olek["name"], olek["shownName"]) == ("Aleksander Nowak", "Zielony Smok")
    for slip in (anna, olek):  # the handle is random, never the name
        assert slip["handle"].startswith("pupil-") and "kowal" not in slip["handle"]
        assert len(slip["signInCode"]) == 11 and slip["redeemUrl"].endswith(slip["signInCode"])
    assert done["team"]["memberCount"] == 3
    roster = await _roster(api, team["id"], issuer.owner.token)
    assert roster is not None
    assert [(p["name"], p["ageBand"], p["signedInAt"]) for p in roster["roster"]] == [
        ("Aleksander Nowak", "FROM_13_TO_15", None),
        ("Anna Kowalska", "FROM_13_TO_15", None),
    ]
    students = {
        e["node"]["handle"]: (e["node"]["displayName"], e["node"]["user"])
        for e in roster["members"]["edges"]
        if e["node"]["role"] == "STUDENT"
    }  # private profiles: even their teacher sees no profile, only the row
    assert students == {anna["handle"]: ("Anna K.", None), olek["handle"]: ("Zielony Smok", None)}
    # Only their hashes are stored.
    async with api.runtime.services.stores.ledger.reading() as conn:
        hashes = [row.code_hash for row in await conn.execute(sa.select(pupil_codes))]
    assert len(hashes) == 2 and anna["signInCode"].replace("-", "") not in hashes


async def test_only_the_class_teachers_enrol_and_see_the_roster(api: Api) -> None:
    issuer = await verified_issuer(api)
    team, (pupil,) = await class_with_pupils(api, issuer, ANNA)
    stranger = await register(api)
    refused = await enrol(api, stranger.token, team["id"], OLEK)
    assert refused["reason"] == "TEAM_NOT_FOUND", refused
    denied = await enrol(api, pupil.token, team["id"], OLEK)
    assert denied["reason"] == "ACTION_NOT_ALLOWED", denied
    business = await create_team(api, issuer, kind="BUSINESS_TEAM")
    wrong = await enrol(api, issuer.owner.token, business["id"], OLEK)
    assert wrong["reason"] == "NOT_A_CLASS", wrong
    seen_by_pupil = await _roster(api, team["id"], pupil.token)
    assert seen_by_pupil is not None and seen_by_pupil["roster"] is None
    assert await _roster(api, team["id"], stranger.token) is None


async def test_a_school_admin_sees_every_class_and_a_teacher_only_theirs(api: Api) -> None:
    issuer = await verified_issuer(api)
    admin, teacher_b = await register(api), await register(api)
    for person, role in ((admin, "ADMIN"), (teacher_b, "ISSUER")):
        staff = {"organizationId": issuer.org_id, "userId": person.id, "role": role}
        assert (await api.mutate("addOrganizationStaff", staff, ORG, issuer.owner.token))["id"]
    team_a, _ = await class_with_pupils(api, issuer, ANNA)
    team_b = await create_team(api, issuer, name="3c")
    await api.mutate(
        "addTeamMember",
        {"teamId": team_b["id"], "userId": teacher_b.id, "role": "TEACHER"},
        "",
        issuer.owner.token,
    )
    seen = await _roster(api, team_a["id"], admin.token)
    assert seen is not None and [p["name"] for p in seen["roster"]] == ["Anna Kowalska"]
    assert await _roster(api, team_a["id"], teacher_b.token) is None
    assert (await enrol(api, admin.token, team_a["id"], OLEK))["__typename"] == "EnrolledPupils"
    refused = await enrol(api, teacher_b.token, team_a["id"], OLEK)
    assert refused["reason"] == "TEAM_NOT_FOUND"


async def test_a_code_signs_the_pupil_in_once(api: Api) -> None:
    issuer = await verified_issuer(api)
    team = await create_team(api, issuer)
    (slip,) = (await enrol(api, issuer.owner.token, team["id"], ANNA))["pupils"]
    session = await redeem(api, slip["signInCode"].lower())
    assert session["__typename"] == "AuthPayload", session
    me = await api.query("{ me { handle displayName visibility } }", token=session["accessToken"])
    assert me["me"] == {"handle": slip["handle"], "displayName": "Anna K.", "visibility": "PRIVATE"}
    again = await redeem(api, slip["signInCode"])
    assert (again["__typename"], again["reason"]) == ("ConflictError", "SIGN_IN_CODE_USED")
    unknown = await redeem(api, "ZZZZZ-ZZZZZ")
    assert (unknown["__typename"], unknown["reason"]) == ("NotFoundError", "SIGN_IN_CODE_UNKNOWN")
    roster = await _roster(api, team["id"], issuer.owner.token)
    assert roster is not None and roster["roster"][0]["signedInAt"] is not None
    login = {"email": slip["handle"], "password": PASSWORD}  # later: handle and password
    assert (await api.mutate("login", login, SESSION))["userId"] == session["userId"]
    wrong = await api.mutate("login", login | {"password": "not the one 123"}, SESSION)
    assert wrong["__typename"] == "AuthenticationError"
    teacher = {"email": issuer.owner.handle, "password": "correct horse battery"}
    assert (await api.mutate("login", teacher, SESSION))["__typename"] == "AuthenticationError"


async def test_an_expired_code_is_refused_and_changes_nothing(api: Api) -> None:
    issuer = await verified_issuer(api)
    team = await create_team(api, issuer)
    (slip,) = (await enrol(api, issuer.owner.token, team["id"], ANNA))["pupils"]
    async with api.runtime.services.stores.ledger.transaction() as conn:
        await conn.execute(pupil_codes.update().values(expires_at=now() - timedelta(seconds=1)))
    expired = await redeem(api, slip["signInCode"])
    assert (expired["__typename"], expired["reason"]) == ("ConflictError", "SIGN_IN_CODE_EXPIRED")
    async with api.runtime.services.stores.ledger.reading() as conn:
        (row,) = list(await conn.execute(sa.select(pupil_codes)))
    assert row.used_at is None


async def test_code_attempts_are_throttled(api: Api) -> None:
    limit = api.runtime.settings.pupil_code_max_attempts_per_client
    answers = [(await redeem(api, f"WRONG-{n:05d}"))["__typename"] for n in range(limit + 1)]
    assert answers[:limit] == ["NotFoundError"] * limit
    assert answers[limit] == "RateLimitedError"


async def test_the_slip_sheet_is_a_pdf_for_the_teacher_with_new_codes(api: Api) -> None:
    issuer = await verified_issuer(api)
    team = await create_team(api, issuer)
    done = await enrol(api, issuer.owner.token, team["id"], ANNA, OLEK)
    path = done["sheetUrl"].removeprefix(api.runtime.settings.public_base_url)
    pupil = await redeem(api, done["pupils"][1]["signInCode"])  # Olek signs in
    stranger = await register(api)
    headers = {"Authorization": f"Bearer {pupil['accessToken']}"}
    assert (await api.client.post(path, headers=headers)).status_code == 403
    headers = {"Authorization": f"Bearer {stranger.token}"}
    assert (await api.client.post(path, headers=headers)).status_code == 404
    assert (await api.client.post(path)).status_code == 401
    headers = {"Authorization": f"Bearer {issuer.owner.token}"}
    response = await api.client.post(path, headers=headers)
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = reader.pages[0].extract_text()
    assert "Anna Kowalska" in text and "Aleksander Nowak" not in text  # signed in already
    links = [
        result.text
        for image in reader.pages[0].images
        for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(image.data)))
    ]
    assert len(links) == 1 and "/pupil/sign-in?code=" in links[0]
    new_code = links[0].rsplit("=", 1)[1]
    assert new_code in text and new_code != done["pupils"][0]["signInCode"]
    old = await redeem(api, done["pupils"][0]["signInCode"])  # replaced by the sheet's
    assert old["reason"] == "SIGN_IN_CODE_UNKNOWN"
    assert (await redeem(api, new_code))["__typename"] == "AuthPayload"


async def test_the_redeem_page_sets_the_password(api: Api) -> None:
    issuer = await verified_issuer(api)
    team = await create_team(api, issuer)
    (slip,) = (await enrol(api, issuer.owner.token, team["id"], ANNA))["pupils"]
    url = slip["redeemUrl"].removeprefix(api.runtime.settings.public_base_url)
    page = await api.client.get(url)
    assert page.status_code == 200 and slip["signInCode"] in page.text
    form = {"code": slip["signInCode"], "password": PASSWORD}
    assert (await api.client.post("/pupil/sign-in", data=form)).status_code == 200
    assert (await api.client.post("/pupil/sign-in", data=form)).status_code == 400  # used
    assert (await redeem(api, slip["signInCode"]))["reason"] == "SIGN_IN_CODE_USED"


VISIBILITY = "... on User { visibility displayName }"


async def test_under_16_a_public_profile_waits_for_a_guardian(api: Api) -> None:
    issuer = await verified_issuer(api)
    _, (pupil,) = await class_with_pupils(api, issuer, ANNA)
    stranger = await register(api)
    public = await api.mutate("updateProfile", {"visibility": "PUBLIC"}, VISIBILITY, pupil.token)
    assert public["reason"] == "GUARDIAN_CONSENT_NEEDED", public
    renamed = await api.mutate("updateProfile", {"displayName": "Anna Kowalska"}, "", pupil.token)
    assert renamed["reason"] == "GUARDIAN_CONSENT_NEEDED"
    asked = await api.mutate(
        "requestGuardianConsent",
        {"guardianEmail": "Mama@Example.org"},
        "... on GuardianConsentRequested { pupilId }",
        pupil.token,
    )
    assert asked == {"__typename": "GuardianConsentRequested", "pupilId": pupil.id}
    token = await _consent_token(api, "mama@example.org")
    link = "/guardian/consent"
    assert (await api.client.get(link)).status_code == 200  # a GET changes nothing
    still = await api.mutate("updateProfile", {"visibility": "PUBLIC"}, VISIBILITY, pupil.token)
    assert still["reason"] == "GUARDIAN_CONSENT_NEEDED"
    assert (
        await api.client.post(link, data={"token": token, "answer": "grant"})
    ).status_code == 200
    now_public = await api.mutate(
        "updateProfile", {"visibility": "PUBLIC"}, VISIBILITY, pupil.token
    )
    assert now_public["visibility"] == "PUBLIC", now_public
    query = "query($h: String!) { user(handle: $h) { displayName } }"
    seen = (await api.query(query, {"h": pupil.handle}, stranger.token))["user"]
    assert seen == {"displayName": "Anna K."}
    withdraw = {"token": token, "answer": "withdraw"}
    assert (await api.client.post(link, data=withdraw)).status_code == 200
    assert (await api.query(query, {"h": pupil.handle}, stranger.token))["user"] is None
    me = await api.query("{ me { visibility } }", token=pupil.token)
    assert me["me"]["visibility"] == "PRIVATE"


async def test_a_guarded_pupil_stays_hidden_whatever_the_stored_setting(api: Api) -> None:
    """The read rule holds on its own (planned `user(handle:)` and `node(id:)` alike), even
    if the stored visibility says PUBLIC."""
    issuer = await verified_issuer(api)
    _, (pupil,) = await class_with_pupils(api, issuer, ANNA)
    stranger = await register(api)
    await api.runtime.services.stores.graph.write(
        "MATCH (u:User {id: $id}) SET u.visibility = 'PUBLIC'", id=local_id(pupil.id, "User")
    )
    for token in (stranger.token, None):
        found = await api.query(
            "query($h: String!, $id: ID!) { user(handle: $h) { handle } node(id: $id) { id } }",
            {"h": pupil.handle, "id": pupil.id},
            token,
        )
        assert found == {"user": None, "node": None}


async def test_only_a_pupil_under_16_asks_for_consent(api: Api) -> None:
    adult = await register(api)
    refused = await api.mutate(
        "requestGuardianConsent", {"guardianEmail": "a@example.org"}, "", adult.token
    )
    assert refused["reason"] == "NOT_A_PUPIL"
    issuer = await verified_issuer(api)
    _, (older,) = await class_with_pupils(api, issuer, ANNA, age_band="FROM_16_TO_17")
    public = await api.mutate("updateProfile", {"visibility": "PUBLIC"}, VISIBILITY, older.token)
    assert public["visibility"] == "PUBLIC"


async def test_a_teacher_asks_the_guardian_of_their_pupil_only(api: Api) -> None:
    issuer = await verified_issuer(api)
    _, (pupil,) = await class_with_pupils(api, issuer, ANNA)
    other = await verified_issuer(api)
    data = {"guardianEmail": "tata@example.org", "pupilId": pupil.id}
    refused = await api.mutate("requestGuardianConsent", data, "", other.owner.token)
    assert refused["reason"] == "TEAM_NOT_FOUND"
    done = await api.mutate("requestGuardianConsent", data, "", issuer.owner.token)
    assert done["__typename"] == "GuardianConsentRequested"
    assert await _consent_token(api, "tata@example.org")


async def test_a_pupil_joining_by_code_is_no_pupil_account(api: Api) -> None:
    """Pupils who registered themselves keep their own settings (only enrolled accounts
    are protected this way)."""
    issuer = await verified_issuer(api)
    team = await create_team(api, issuer)
    learner: Person = await register(api)
    await join_team(api, team["joinCode"], learner)
    roster = await _roster(api, team["id"], issuer.owner.token)
    assert roster is not None and roster["roster"] == []


async def _public_with_consent(api: Api, pupil: Person) -> None:
    data = {"guardianEmail": f"{pupil.handle}@rodzice.example.org"}
    await api.mutate("requestGuardianConsent", data, "", pupil.token)
    token = await _consent_token(api, data["guardianEmail"])
    granted = await api.client.post("/guardian/consent", data={"token": token, "answer": "grant"})
    assert granted.status_code == 200
    done = await api.mutate("updateProfile", {"visibility": "PUBLIC"}, VISIBILITY, pupil.token)
    assert done["visibility"] == "PUBLIC", done


async def test_a_pupil_is_suggested_only_to_people_sharing_a_group(api: Api) -> None:
    """Even with a public profile: the stranger whose followee follows the pupil is not
    offered them; a member of the pupil's club is."""
    issuer = await verified_issuer(api)
    _, (pupil,) = await class_with_pupils(api, issuer, ANNA)
    await _public_with_consent(api, pupil)
    followee, stranger, clubmate = [await register(api) for _ in range(3)]
    assert (await act(api, "follow", followee, pupil))["__typename"] != "MutationError"
    await act(api, "follow", stranger, followee)
    await club_of(api, clubmate, [pupil])
    to_stranger = await recommended(api, stranger, "PERSON")
    to_clubmate = await recommended(api, clubmate, "PERSON")
    assert pupil.handle not in {row["node"]["handle"] for row in to_stranger}
    assert pupil.handle in {row["node"]["handle"] for row in to_clubmate}


async def test_removing_a_pupil_ends_their_class_access_and_voids_their_codes(api: Api) -> None:
    issuer = await verified_issuer(api)
    team, (anna,) = await class_with_pupils(api, issuer, ANNA)
    (olek,) = (await enrol(api, issuer.owner.token, team["id"], OLEK))["pupils"]
    assert (await _roster(api, team["id"], anna.token)) is not None
    for user_id in (anna.id, olek["userId"]):
        removed = await api.mutate(
            "removeTeamMember", {"teamId": team["id"], "userId": user_id}, "", issuer.owner.token
        )
        assert removed["__typename"] == "Team", removed
    assert await _roster(api, team["id"], anna.token) is None  # at once, every read
    roster = await _roster(api, team["id"], issuer.owner.token)
    assert roster is not None and roster["roster"] == []
    assert (await redeem(api, olek["signInCode"]))["reason"] == "SIGN_IN_CODE_UNKNOWN"
