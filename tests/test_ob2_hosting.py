"""Hosted Open Badges 2.0: assertion, badge class and issuer JSON; baked PNG and SVG."""

import hashlib

from odznaka_graph.ids import local_id
from odznaka_graph.sharing.baking import unbake
from tests.helpers import Api
from tests.profile_helpers import revoke
from tests.sharing_helpers import awarded

BASE = "http://127.0.0.1:8000"


async def test_the_assertion_is_hosted_with_a_salted_hashed_recipient(api: Api) -> None:
    got = await awarded(api)
    response = await api.client.get(f"/ob2/assertions/{got.plain_award_id}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    assert response.headers["access-control-allow-origin"] == "*"
    document = response.json()
    assert document["@context"] == "https://w3id.org/openbadges/v2"
    assert document["type"] == "Assertion"
    assert document["id"] == f"{BASE}/ob2/assertions/{got.plain_award_id}"
    assert document["verification"] == {"type": "hosted"}
    assert document["badge"] == f"{BASE}/ob2/badges/{got.plain_badge_id}"
    assert document["evidence"] == [{"type": "Evidence", "narrative": "Projekt"}]
    recipient = document["recipient"]
    salt = recipient["salt"]
    expected = hashlib.sha256((got.learner.email + salt).encode()).hexdigest()
    assert recipient == {
        "type": "email",
        "hashed": True,
        "salt": salt,
        "identity": f"sha256${expected}",
    }
    assert got.learner.email not in response.text
    assert "expires" in document and document["issuedOn"].endswith("Z")
    # A GraphQL global id names the same assertion.
    again = await api.client.get(f"/ob2/assertions/{got.award_id}")
    assert again.json() == document


async def test_badge_class_and_issuer_profile(api: Api) -> None:
    got = await awarded(api)
    badge = (await api.client.get(f"/ob2/badges/{got.plain_badge_id}")).json()
    assert badge["type"] == "BadgeClass"
    assert badge["name"] == "Analiza danych"
    assert badge["image"] == "https://img.example.org/badge.png"
    assert "Tworzy tabelę przestawną." in badge["criteria"]["narrative"]
    assert badge["tags"] == ["dane", "excel"]
    names = [item["targetName"] for item in badge["alignment"]]
    assert names == ["Analiza danych", "EQF 4"]
    english = await api.client.get(
        f"/ob2/badges/{got.plain_badge_id}", headers={"Accept-Language": "en"}
    )
    assert english.json()["name"] == "Data analysis"
    org_id = local_id(got.issuer.org_id, "Organization")
    assert badge["issuer"] == f"{BASE}/ob2/issuers/{org_id}"
    issuer = (await api.client.get(f"/ob2/issuers/{org_id}")).json()
    assert issuer["type"] == "Issuer"
    assert issuer["name"] == "Akademia Testowa"
    assert issuer["url"] == BASE
    image = await api.client.get(f"/ob2/badges/{got.plain_badge_id}/image.png")
    assert image.headers["content-type"] == "image/png"
    assert image.content.startswith(b"\x89PNG")


async def test_a_revoked_assertion_answers_410_with_revoked_true(api: Api) -> None:
    got = await awarded(api)
    await revoke(api, got.issuer, got.award_id)
    response = await api.client.get(f"/ob2/assertions/{got.plain_award_id}")
    assert response.status_code == 410
    assert response.json()["revoked"] is True
    assert response.json()["revocationReason"] == "Plagiat w projekcie"
    baked = await api.client.get(f"/ob2/assertions/{got.plain_award_id}.png")
    assert baked.status_code == 410


async def test_unknown_ids_are_404(api: Api) -> None:
    for path in (
        "/ob2/assertions/00000000-0000-4000-8000-000000000000",
        "/ob2/assertions/not-an-id",
        "/ob2/badges/00000000-0000-4000-8000-000000000000",
        "/ob2/issuers/00000000-0000-4000-8000-000000000000",
        "/ob2/assertions/00000000-0000-4000-8000-000000000000.png",
    ):
        response = await api.client.get(path)
        assert response.status_code == 404, path


async def test_baked_png_and_svg_carry_the_assertion(api: Api) -> None:
    got = await awarded(api)
    hosted = (await api.client.get(f"/ob2/assertions/{got.plain_award_id}")).json()
    png = await api.client.get(f"/ob2/assertions/{got.plain_award_id}.png")
    assert png.headers["content-type"] == "image/png"
    baked = unbake(png.content)
    assert (baked.image_type, baked.ob3) == ("PNG", False)
    assert '"type":"Assertion"' in baked.text and hosted["id"] in baked.text
    assert png.content.index(b"iTXtopenbadges\x00") < png.content.index(b"IDAT")
    svg = await api.client.get(f"/ob2/assertions/{got.plain_award_id}.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert f'<openbadges:assertion verify="{hosted["id"]}">' in svg.text
    assert unbake(svg.content).text.startswith("{")
