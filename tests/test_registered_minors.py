"""An age band (or a birth year) given at self-registration (issue 15): a minor gets a
pupil's protections from the start, by the same rules (services/pupil_rules.py): a private
profile, a name shown as first name + initial, and under 16 no public profile without a
guardian's consent."""

from datetime import UTC, datetime
from itertools import count
from typing import Any

from tests.helpers import Api, Person, register
from tests.pupil_helpers import consent_token

SESSION = "... on AuthPayload { accessToken userId }"
VISIBILITY = "... on User { visibility displayName }"
PROFILE = "query($h: String!) { user(handle: $h) { displayName } }"
_numbers = count(1)


async def _register(api: Api, **age: Any) -> tuple[Person, dict[str, Any]]:
    handle = f"minor{next(_numbers)}"
    given = {
        "email": f"{handle}@example.org",
        "password": "correct horse battery",
        "handle": handle,
        "displayName": "Zofia Nowak",
    } | age
    done = await api.mutate("register", given, SESSION)
    if done["__typename"] != "AuthPayload":
        return Person("", "", "", handle), done
    return Person(done["userId"], done["accessToken"], given["email"], handle), done


async def test_a_self_registered_under_16_waits_for_a_guardian(api: Api) -> None:
    year = datetime.now(UTC).year - 15  # 14 or 15 this year
    minor, _ = await _register(api, birthYear=year)
    stranger = await register(api)
    me = await api.query("{ me { visibility displayName } }", token=minor.token)
    assert me["me"] == {"visibility": "PRIVATE", "displayName": "Zofia N."}
    assert (await api.query(PROFILE, {"h": minor.handle}, stranger.token))["user"] is None
    public = await api.mutate("updateProfile", {"visibility": "PUBLIC"}, VISIBILITY, minor.token)
    assert (public["__typename"], public["reason"]) == (
        "PermissionDeniedError",
        "GUARDIAN_CONSENT_NEEDED",
    )
    asked = await api.mutate(
        "requestGuardianConsent",
        {"guardianEmail": "tata@example.org"},
        "... on GuardianConsentRequested { pupilId }",
        minor.token,
    )
    assert asked == {"__typename": "GuardianConsentRequested", "pupilId": minor.id}
    token = await consent_token(api, "tata@example.org")
    granted = await api.client.post("/guardian/consent", data={"token": token, "answer": "grant"})
    assert granted.status_code == 200
    now_public = await api.mutate(
        "updateProfile", {"visibility": "PUBLIC"}, VISIBILITY, minor.token
    )
    assert now_public["visibility"] == "PUBLIC", now_public
    seen = await api.query(PROFILE, {"h": minor.handle}, stranger.token)
    assert seen["user"] == {"displayName": "Zofia N."}


async def test_sixteen_and_over_are_protected_by_default_and_adults_not_at_all(api: Api) -> None:
    teen, _ = await _register(api, ageBand="FROM_16_TO_17")
    me = await api.query("{ me { visibility displayName } }", token=teen.token)
    assert me["me"] == {"visibility": "PRIVATE", "displayName": "Zofia N."}
    public = await api.mutate("updateProfile", {"visibility": "PUBLIC"}, VISIBILITY, teen.token)
    assert public["visibility"] == "PUBLIC", public  # 16 and over decide themselves
    adult, _ = await _register(api, ageBand="ADULT")
    me = await api.query("{ me { visibility displayName } }", token=adult.token)
    assert me["me"] == {"visibility": "PUBLIC", "displayName": "Zofia Nowak"}


async def test_a_band_and_a_birth_year_together_or_a_future_year_are_refused(api: Api) -> None:
    future = datetime.now(UTC).year + 1
    for age in ({"ageBand": "ADULT", "birthYear": 2000}, {"birthYear": future}):
        _, refused = await _register(api, **age)
        assert (refused["__typename"], refused["reason"]) == ("ValidationError", "AGE_INVALID")
