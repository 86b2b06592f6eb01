"""GraphiQL served by the API itself, for people opening the GraphQL address in a browser.

Its files — pinned graphiql (3.x UMD bundle), react and react-dom, installed from the npm
registry with the server (`make graphiql`: `npm ci` in web/graphiql), never fetched by the
browser from a CDN — are served under /graphiql/assets/<digest>/<name> with long cache
lifetimes (the digest changes with the content) and Subresource Integrity on the page. The
page runs under a Content-Security-Policy that allows scripts, styles and connections to
this origin only. Without the files installed the page says so instead of loading forever.
"""

import base64
import hashlib
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from string import Template

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Route

HERE = Path(__file__).parent
PAGE = Template((HERE / "page.html").read_text(encoding="utf-8"))
MISSING = Template((HERE / "missing.html").read_text(encoding="utf-8"))

# Served name -> the file under the installed node_modules (see web/graphiql/package.json).
INSTALLED = {
    "react.js": "react/umd/react.production.min.js",
    "react-dom.js": "react-dom/umd/react-dom.production.min.js",
    "graphiql.js": "graphiql/graphiql.min.js",
    "graphiql.css": "graphiql/graphiql.min.css",
}
OWN = {"start.js": HERE / "start.js"}
MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}

ASSET_HEADERS = {
    "Cache-Control": "public, max-age=31536000, immutable",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Resource-Policy": "same-origin",
}
_HOST = re.compile(r"^[A-Za-z0-9.\-]+(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$")


@dataclass(frozen=True)
class Asset:
    path: Path
    digest: str  # names the content in the URL, so it may be cached for a year
    integrity: str  # Subresource Integrity on the page

    @classmethod
    def of(cls, path: Path) -> "Asset":
        content = path.read_bytes()
        sri = base64.b64encode(hashlib.sha384(content).digest()).decode()
        return cls(path, hashlib.sha256(content).hexdigest()[:16], f"sha384-{sri}")


class GraphiQL:
    """The page and its files, read from `modules` (a node_modules folder)."""

    def __init__(self, modules: Path) -> None:
        self.modules = modules
        self._assets: dict[str, Asset] | None = None
        self.routes = [Route("/graphiql/assets/{digest}/{name}", self.asset, name="graphiql")]

    def missing(self) -> list[str]:
        return [path for path in INSTALLED.values() if not (self.modules / path).is_file()]

    def assets(self) -> dict[str, Asset] | None:
        """The files with their digests, read once they are all there (None until then)."""
        if self._assets is None and not self.missing():
            files = {name: self.modules / path for name, path in INSTALLED.items()} | OWN
            self._assets = {name: Asset.of(path) for name, path in files.items()}
        return self._assets

    async def asset(self, request: Request) -> Response:
        assets = self.assets() or {}
        found = assets.get(request.path_params["name"])
        if found is None or found.digest != request.path_params["digest"]:
            return Response("Not found.", status_code=404, media_type="text/plain")
        media_type = MEDIA_TYPES[found.path.suffix]
        return FileResponse(found.path, media_type=media_type, headers=ASSET_HEADERS)

    def page(self, request: Request) -> HTMLResponse:
        nonce = secrets.token_urlsafe(18)
        headers = page_headers(request, nonce)
        assets = self.assets()
        if assets is None:
            body = MISSING.substitute(missing=", ".join(self.missing()))
            return HTMLResponse(body, status_code=503, headers=headers)
        fields = {"style_nonce": nonce}
        for name, asset in assets.items():
            key = re.sub(r"\W", "_", name)
            url = request.url_for("graphiql", digest=asset.digest, name=name)
            fields[key] = url.path
            fields[f"{key}_integrity"] = asset.integrity
        return HTMLResponse(PAGE.substitute(fields), headers=headers)


def page_headers(request: Request, style_nonce: str) -> dict[str, str]:
    host = request.headers.get("host", "")
    return {
        "Content-Security-Policy": content_security_policy(host, style_nonce),
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }


def content_security_policy(host: str, style_nonce: str) -> str:
    """This origin only: its scripts, its styles (and the <style> GraphiQL's dialogs add,
    by a nonce fresh for each page), its WebSocket (for subscriptions)."""
    sockets = f" ws://{host} wss://{host}" if _HOST.match(host) else ""
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            f"style-src 'self' 'nonce-{style_nonce}'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            f"connect-src 'self'{sockets}",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        ]
    )
