"""Public credential and profile pages, and PDF certificates, as anonymous visitors get them."""

import io
import re
from urllib.parse import parse_qs, urlsplit

import zxingcpp
from pypdf import PdfReader

from tests.helpers import Api
from tests.profile_helpers import feature, revoke, set_visibility
from tests.sharing_helpers import awarded, import_document, pasted
from tests.test_imports import url_less_assertion

BASE = "http://127.0.0.1:8000"


def meta(html: str, key: str) -> str:
    found = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', html)
    assert found, key
    return found.group(1)


async def test_the_credential_page_shows_a_public_credential(api: Api) -> None:
    got = await awarded(api, "ania")
    response = await api.client.get(f"/credentials/{got.plain_award_id}")
    assert response.status_code == 200
    html = response.text
    assert '<html lang="pl">' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "<title>Analiza danych · Ania · Odznaka+</title>" in html
    assert meta(html, "og:title") == "Analiza danych · Ania"
    assert meta(html, "og:url") == f"{BASE}/credentials/{got.plain_award_id}"
    assert meta(html, "og:image") == f"{BASE}/ob2/badges/{got.plain_badge_id}/image.png"
    assert meta(html, "twitter:card") == "summary"
    assert "Autentyczne i ważne" in html
    assert "Analizuje dane w arkuszu." in html
    assert 'alt="Analiza danych"' in html
    assert '<main id="main">' in html and "<header" in html and "<footer" in html
    link = re.search(r'href="(https://www\.linkedin\.com/profile/add\?[^"]+)"', html)
    assert link
    query = parse_qs(urlsplit(link.group(1).replace("&amp;", "&")).query)
    assert query["startTask"] == ["CERTIFICATION_NAME"]
    assert query["name"] == ["Analiza danych"]
    assert query["organizationName"] == ["Akademia Testowa"]
    assert query["certUrl"] == [f"{BASE}/credentials/{got.plain_award_id}"]
    assert query["issueYear"][0].isdigit() and "expirationYear" in query
    for path in (
        f"/awards/{got.plain_award_id}/certificate.pdf?lang=pl",
        f"/ob2/assertions/{got.plain_award_id}",
        f"/ob2/assertions/{got.plain_award_id}.png",
    ):
        assert f'href="{BASE}{path}"' in html, path
    english = await api.client.get(
        f"/credentials/{got.plain_award_id}", headers={"Accept-Language": "en-GB,en;q=0.9"}
    )
    assert '<html lang="en">' in english.text and "Authentic and valid" in english.text
    assert "Data analysis" in english.text
    forced = await api.client.get(
        f"/credentials/{got.plain_award_id}?lang=pl", headers={"Accept-Language": "en"}
    )
    assert '<html lang="pl">' in forced.text


async def test_private_credentials_are_a_404_page(api: Api) -> None:
    got = await awarded(api, "ukryta")
    await set_visibility(api, got.learner, awards="PRIVATE")
    for path in (
        f"/credentials/{got.plain_award_id}",
        f"/awards/{got.plain_award_id}/certificate.pdf",
        "/credentials/00000000-0000-4000-8000-000000000000",
        "/credentials/nonsense",
        "/u/ukryta-nie-ma",
    ):
        response = await api.client.get(path)
        assert response.status_code == 404, path
        assert "Nie znaleziono" in response.text
        assert "Ukryta" not in response.text
    own = await api.client.get(
        f"/awards/{got.plain_award_id}/certificate.pdf",
        headers={"Authorization": f"Bearer {got.learner.token}"},
    )
    assert own.status_code == 200 and own.headers["content-type"] == "application/pdf"
    await set_visibility(api, got.learner, awards="PUBLIC", profile="PRIVATE")
    assert (await api.client.get("/u/ukryta")).status_code == 404
    assert (await api.client.get(f"/credentials/{got.plain_award_id}")).status_code == 404


async def test_a_revoked_credential_says_so_and_has_no_certificate(api: Api) -> None:
    got = await awarded(api)
    await revoke(api, got.issuer, got.award_id)
    page = await api.client.get(f"/credentials/{got.plain_award_id}")
    assert page.status_code == 200 and "Unieważnione" in page.text
    assert "Revoked by the issuer on" in page.text
    pdf = await api.client.get(f"/awards/{got.plain_award_id}/certificate.pdf")
    assert pdf.status_code == 410


async def test_the_profile_page_shows_only_what_is_public(api: Api) -> None:
    got = await awarded(api, "bartek")
    await feature(api, got.learner, [got.award_id])
    await import_document(api, got.learner, document=pasted(url_less_assertion(got.learner.email)))
    page = await api.client.get("/u/bartek")
    assert page.status_code == 200
    html = page.text
    assert '<h1 id="name">Bartek</h1>' in html
    assert html.count(f"{BASE}/credentials/{got.plain_award_id}") == 2  # featured and listed
    assert "Pierwsza pomoc" in html and "Niezweryfikowane" in html
    await set_visibility(api, got.learner, awards="CONTACTS", featured="PRIVATE")
    hidden = (await api.client.get("/u/bartek")).text
    assert "Brak poświadczeń do pokazania." in hidden
    assert "/credentials/" not in hidden and "Pierwsza pomoc" not in hidden


async def test_user_text_is_escaped(api: Api) -> None:
    got = await awarded(api, "zly")
    done = await api.mutate(
        "updateProfile", {"displayName": "<script>alert(1)</script>"}, "", got.learner.token
    )
    assert done is not None
    html = (await api.client.get(f"/credentials/{got.plain_award_id}")).text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


async def test_the_pdf_certificate_in_polish_and_english(api: Api) -> None:
    got = await awarded(api, "celina")
    polish = await api.client.get(f"/awards/{got.plain_award_id}/certificate.pdf?lang=pl")
    assert polish.status_code == 200
    assert polish.headers["content-type"] == "application/pdf"
    text = pdf_text(polish.content)
    for expected in (
        "Certyfikat",
        "Niniejszym poświadcza się, że",
        "Celina",
        "Analiza danych",
        "Wydawca: Akademia Testowa",
        "12 godz.",
        "online",
        "Analizuje dane w arkuszu.",
        got.plain_award_id,
    ):
        assert expected in text, expected
    english = await api.client.get(
        f"/awards/{got.plain_award_id}/certificate.pdf", headers={"Accept-Language": "en"}
    )
    text = pdf_text(english.content)
    for expected in ("Certificate", "has earned the microcredential", "Data analysis", "12 hours"):
        assert expected in text, expected
    reader = PdfReader(io.BytesIO(polish.content))
    assert reader.metadata is not None and "Analiza danych" in (reader.metadata.title or "")
    decoded = [
        result.text
        for image in reader.pages[0].images
        for result in zxingcpp.read_barcodes(image.image)
    ]
    assert decoded == [f"{BASE}/credentials/{got.plain_award_id}"]


async def test_the_holders_certificate_carries_a_wallet_offer_without_its_code(api: Api) -> None:
    got = await awarded(api, "dorota")
    path = f"/awards/{got.plain_award_id}/certificate.pdf?lang=en&wallet=SD_JWT_VC"
    own = await api.client.get(path, headers={"Authorization": f"Bearer {got.learner.token}"})
    assert own.status_code == 200, own.text
    code = own.headers["odznaka-transaction-code"]
    assert re.fullmatch(r"\d{6}", code)
    text = pdf_text(own.content)
    assert "Add to your wallet" in text and code not in text
    images = [
        image.image for page in PdfReader(io.BytesIO(own.content)).pages for image in page.images
    ]
    decoded = [result.text for image in images for result in zxingcpp.read_barcodes(image)]
    [offer] = [text for text in decoded if text.startswith("openid-credential-offer://")]
    assert "credential_offer_uri=" in offer and code not in offer
    # only the holder gets one: anyone else (even when the credential is public) is refused
    for headers in ({}, {"Authorization": f"Bearer {got.issuer.owner.token}"}):
        refused = await api.client.get(path, headers=headers)
        assert refused.status_code == 403, refused.text
        assert "odznaka-transaction-code" not in refused.headers
    plain = await api.client.get(f"/awards/{got.plain_award_id}/certificate.pdf?lang=en")
    assert "Add to your wallet" not in pdf_text(plain.content)
