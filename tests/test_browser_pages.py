"""The public pages in a real headless Chromium (Debian's, driven by Playwright): they
render, carry their social metadata and the LinkedIn link, fit a 375 px phone without
horizontal scrolling; screenshots of both pages and of the PDF's first page go to
artifacts/ (kept by CI)."""

import base64
import shutil
import subprocess
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from urllib.parse import quote

import httpx
import pytest
from playwright.async_api import Browser, Page

from odznaka_graph.demo.loader import load_demo
from odznaka_graph.ids import local_id
from odznaka_graph.runtime import Runtime
from odznaka_graph.settings import Settings
from tests.api_process import gql
from tests.chromium import ARTIFACTS, chromium
from tests.sharing_server import Server, import_credential, sharing_server


@pytest.fixture(scope="module")
def server(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with sharing_server(settings, tmp_path_factory.mktemp("browser")) as running:
        yield running


@pytest.fixture(scope="module")
async def demo_data(server: Server, settings: Settings) -> None:
    """The demo data, loaded into the running server's stores (its SQLite file and Neo4j)
    from here rather than at its start-up, which may take longer than its readiness wait."""
    runtime = await Runtime.open(settings.model_copy(update={"var_dir": server.var}), relay=False)
    try:
        assert await load_demo(runtime.services)
    finally:
        await runtime.close()


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Browser]:
    async with chromium() as launched:
        yield launched


@dataclass
class Demo:
    token: str
    handle: str
    display_name: str
    award_id: str  # as stored
    badge_name: str


ME = """{ me { handle displayName awards(first: 1) { edges { node { id badge { name } } } } } }"""


@pytest.fixture(scope="module")
def demo(server: Server, demo_data: None) -> Demo:
    """A demo learner's credential, baked into a PNG and imported back (verified)."""
    session = gql(
        server.base,
        "mutation($i: LoginInput!) { login(input: $i) { ... on AuthPayload { accessToken } } }",
        {"i": {"email": "ania.nowak@demo.odznaka.pl", "password": "odznaka-demo-2026"}},
    )
    token = session["login"]["accessToken"]
    me = httpx.post(
        f"{server.url}/graphql",
        json={"query": ME},
        headers={"Authorization": f"Bearer {token}", "Accept-Language": "pl"},
    ).json()["data"]["me"]
    award = me["awards"]["edges"][0]["node"]
    plain = local_id(award["id"], "Award") or ""
    png = httpx.get(f"{server.url}/ob2/assertions/{plain}.png").content
    imported = import_credential(server, token, imageBase64=base64.b64encode(png).decode())
    assert imported["status"] == "VERIFIED", imported
    ARTIFACTS.mkdir(exist_ok=True)
    return Demo(token, me["handle"], me["displayName"], plain, award["badge"]["name"])


async def _no_horizontal_scroll(page: Page) -> None:
    widths = await page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], widths


async def test_the_credential_page_in_chromium(
    server: Server, browser: Browser, demo: Demo
) -> None:
    url = f"{server.url}/credentials/{demo.award_id}"
    page = await browser.new_page(locale="pl-PL", viewport={"width": 1280, "height": 900})
    response = await page.goto(url)
    assert response is not None and response.status == 200
    assert await page.title() == f"{demo.badge_name} · {demo.display_name} · Odznaka+"
    assert await page.locator("html").get_attribute("lang") == "pl"
    og = await page.locator('meta[property="og:title"]').get_attribute("content")
    assert og == f"{demo.badge_name} · {demo.display_name}"
    assert await page.locator('meta[property="og:url"]').get_attribute("content") == url
    image = await page.locator('meta[property="og:image"]').get_attribute("content") or ""
    async with httpx.AsyncClient() as client:
        assert (await client.get(image)).headers["content-type"] == "image/png"
    assert await page.locator('meta[name="twitter:card"]').get_attribute("content") == "summary"
    linkedin = page.get_by_role("link", name="Dodaj do profilu LinkedIn")
    href = await linkedin.get_attribute("href") or ""
    assert href.startswith("https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME")
    assert f"certUrl={quote(url, safe='')}" in href and "organizationName=" in href
    assert await page.get_by_role("heading", level=1).inner_text() == demo.badge_name
    assert await page.get_by_role("main").count() == 1
    assert await page.get_by_role("img", name=demo.badge_name).count() == 1
    assert await page.evaluate("() => document.querySelector('img').naturalWidth") > 0
    await page.screenshot(path=str(ARTIFACTS / "credential-page-desktop.png"), full_page=True)
    await page.set_viewport_size({"width": 375, "height": 812})
    await page.reload()
    await _no_horizontal_scroll(page)
    await page.screenshot(path=str(ARTIFACTS / "credential-page-mobile-375.png"), full_page=True)
    await page.close()


async def test_the_profile_page_in_chromium(server: Server, browser: Browser, demo: Demo) -> None:
    page = await browser.new_page(viewport={"width": 375, "height": 812})
    response = await page.goto(f"{server.url}/u/{demo.handle}?lang=en")
    assert response is not None and response.status == 200
    assert await page.locator("html").get_attribute("lang") == "en"
    assert await page.get_by_role("heading", level=1).inner_text() == demo.display_name
    assert await page.get_by_role("heading", name="Credentials from other platforms").count() == 1
    assert await page.get_by_text("Verified", exact=True).count() == 1
    await _no_horizontal_scroll(page)
    await page.screenshot(path=str(ARTIFACTS / "profile-page-mobile-375.png"), full_page=True)
    await page.set_viewport_size({"width": 1280, "height": 900})
    await page.reload()
    await page.screenshot(path=str(ARTIFACTS / "profile-page-desktop.png"), full_page=True)
    await page.close()


def test_the_pdf_first_page_as_an_image(server: Server, demo: Demo) -> None:
    pdf = httpx.get(f"{server.url}/awards/{demo.award_id}/certificate.pdf?lang=pl")
    assert pdf.status_code == 200
    target = ARTIFACTS / "certificate-pl.pdf"
    target.write_bytes(pdf.content)
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "poppler-utils is needed (make test-deps installs it)"
    prefix = ARTIFACTS / "certificate-pl-page1"
    subprocess.run(
        [pdftoppm, "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", target, prefix],
        check=True,
        timeout=60,
    )
    assert (ARTIFACTS / "certificate-pl-page1.png").stat().st_size > 10_000
