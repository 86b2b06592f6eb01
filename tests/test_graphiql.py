"""GraphiQL served by the API itself: a real headless Chromium (Debian's, driven by
Playwright) with every request off loopback refused opens /graphql on uvicorn, runs
`{ __typename }` and sees the answer; nothing outside is asked for and the page's
Content-Security-Policy is never violated. Without its files installed the page says so."""

import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.async_api import Browser, Route, expect

from odznaka_graph.app import create_app
from odznaka_graph.runtime import Runtime
from odznaka_graph.settings import Settings
from tests.api_process import api_process
from tests.chromium import ARTIFACTS, chromium

BROWSER_PAGE = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture(scope="module")
def server(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    assert (settings.graphiql_dir / "graphiql").is_dir(), "run `make graphiql`"
    with api_process(settings, tmp_path_factory.mktemp("graphiql")) as base:
        yield base


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Browser]:
    async with chromium() as launched:
        yield launched


async def test_graphiql_runs_a_query_with_the_network_cut_off(
    server: str, browser: Browser
) -> None:
    context = await browser.new_context()
    outside: list[str] = []

    async def only_loopback(route: Route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            await route.continue_()
        else:
            outside.append(route.request.url)
            await route.abort("internetdisconnected")

    await context.route("**/*", only_loopback)
    await context.add_init_script(VIOLATIONS)
    page = await context.new_page()
    response = await page.goto(f"http://{server}/graphql")
    assert response is not None and response.status == 200
    policy = await response.header_value("content-security-policy") or ""
    assert "script-src 'self';" in policy and "unpkg" not in policy, policy

    editor = page.locator(".graphiql-query-editor .CodeMirror")
    await expect(editor).to_be_visible(timeout=30_000)
    await editor.click()
    await page.keyboard.press("Control+A")
    await page.keyboard.press("Delete")
    await page.keyboard.type("{ __typename")  # GraphiQL closes the brace itself
    query = await page.evaluate(
        "() => document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.getValue()"
    )
    assert re.fullmatch(r"\{ __typename\s*\}", query), query
    await page.locator(".graphiql-execute-button").click()
    await expect(page.locator(".graphiql-response")).to_contain_text(
        '"__typename": "Query"', timeout=15_000
    )

    # The documentation (from introspection) and a dialog, whose <style> the policy admits.
    await page.locator('button[aria-label="Show Documentation Explorer"]').click()
    await expect(page.locator(".graphiql-doc-explorer")).to_contain_text("Root Types")
    await page.locator('button[aria-label="Open settings dialog"]').click()
    await expect(page.get_by_role("dialog")).to_contain_text("Theme")
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "graphiql-offline.png"))

    assert outside == [], outside
    assert await page.evaluate("() => window.__violations") == []
    await context.close()


def test_graphiql_files_are_served_pinned_and_cached_for_long(server: str) -> None:
    page = httpx.get(f"http://{server}/graphql", headers=BROWSER_PAGE)
    assert page.status_code == 200
    assert "unpkg" not in page.text
    sources = re.findall(r'(?:src|href)="(/graphiql/assets/[^"]+)" integrity="sha384-', page.text)
    assert {Path(source).name for source in sources} == {
        "react.js",
        "react-dom.js",
        "graphiql.js",
        "graphiql.css",
        "start.js",
    }
    for source in sources:
        asset = httpx.get(f"http://{server}{source}")
        assert asset.status_code == 200, source
        assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert asset.headers["content-type"].startswith(("text/javascript", "text/css"))
        assert asset.headers["x-content-type-options"] == "nosniff"
    digest, name = sources[0].split("/")[-2:]
    stale = f"http://{server}/graphiql/assets/{'0' * len(digest)}/{name}"
    assert httpx.get(stale).status_code == 404
    outside = httpx.get(f"http://{server}/graphiql/assets/{digest}/package.json")
    assert outside.status_code == 404


async def test_without_its_files_the_page_says_so(
    settings: Settings, runtime: Runtime, tmp_path: Path
) -> None:
    bare = settings.model_copy(update={"graphiql_dir": tmp_path / "node_modules"})
    app = create_app(bare, runtime)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            page = await client.get("/graphql", headers=BROWSER_PAGE)
            answer = await client.post("/graphql", json={"query": "{ __typename }"})
    assert page.status_code == 503
    assert "GraphiQL is not installed on this server" in page.text
    assert "make graphiql" in page.text
    assert "<script" not in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert answer.json() == {"data": {"__typename": "Query"}}
