"""HTTP routes of the sharing package, mounted by app.py: Open Badges 2.0 documents and
baked images (/ob2/...), PDF certificates (/awards/<id>/certificate.pdf) and the public
pages (/credentials/<id>, /u/<handle>). Ids in paths are award, badge and issuer ids as
stored (a GraphQL global id of an Award works too)."""

import asyncio
import re
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from odznaka_graph.errors import DomainError
from odznaka_graph.i18n import parse_accept_language
from odznaka_graph.ids import local_id
from odznaka_graph.services.base import Stores
from odznaka_graph.services.tokens import ANONYMOUS, Viewer
from odznaka_graph.sharing.certificate import certificate_pdf
from odznaka_graph.sharing.hosting import Hosting
from odznaka_graph.sharing.labels import page_language
from odznaka_graph.sharing.links import Links
from odznaka_graph.sharing.ob2 import MEDIA_TYPE
from odznaka_graph.sharing.pages import Pages
from odznaka_graph.sharing.view import load_credential
from odznaka_graph.wallet.issuance import CONFIGURATIONS as WALLET_FORMATS

# The transaction code of a certificate's wallet offer: in this header, never in the PDF.
TX_CODE_HEADER = "Odznaka-Transaction-Code"

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
PUBLIC = {"Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=300"}
# Assertions and what carries them are revalidated on every use: a revocation counts at once.
FRESH = {"Access-Control-Allow-Origin": "*", "Cache-Control": "no-cache"}
NOT_FOUND = {"error": "Not found."}


def _stores(request: Request) -> Stores:
    stores: Stores = request.app.state.runtime.services.stores
    return stores


def _id(request: Request, name: str, type_name: str = "Award") -> str | None:
    raw = str(request.path_params[name])
    plain = raw if UUID.match(raw) else local_id(raw, type_name)
    return plain if plain and UUID.match(plain) else None


def _json(document: Any, status: int = 200, cached: bool = True) -> Response:
    headers = PUBLIC if status == 200 and cached else FRESH
    return Response(orjson.dumps(document), status, headers=headers, media_type=MEDIA_TYPE)


def _languages(request: Request) -> list[str]:
    asked = request.query_params.get("lang")
    found = parse_accept_language(request.headers.get("accept-language"))
    return [asked, *found] if asked else found


def _lang(request: Request) -> str:
    return page_language(request.query_params.get("lang"), request.headers.get("accept-language"))


async def assertion(request: Request) -> Response:
    award_id = _id(request, "award_id")
    hosted = await Hosting(_stores(request)).assertion(award_id) if award_id else None
    if hosted is None:
        return _json(NOT_FOUND, 404)
    return _json(hosted.body, 410 if hosted.revoked else 200, cached=False)


async def baked_png(request: Request) -> Response:
    award_id = _id(request, "award_id")
    hosted = await Hosting(_stores(request)).baked_png(award_id) if award_id else None
    if hosted is None:
        return _json(NOT_FOUND, 404)
    status = 410 if hosted.revoked else 200
    return Response(hosted.body, status, headers=FRESH, media_type="image/png")


async def baked_svg(request: Request) -> Response:
    award_id = _id(request, "award_id")
    hosted = await Hosting(_stores(request)).baked_svg(award_id) if award_id else None
    if hosted is None:
        return _json(NOT_FOUND, 404)
    status = 410 if hosted.revoked else 200
    return Response(hosted.body, status, headers=FRESH, media_type="image/svg+xml")


async def badge_class(request: Request) -> Response:
    badge_id = _id(request, "badge_id", "Badge")
    hosting = Hosting(_stores(request))
    document = await hosting.badge_class(badge_id, _languages(request)) if badge_id else None
    return _json(document) if document else _json(NOT_FOUND, 404)


async def badge_image(request: Request) -> Response:
    badge_id = _id(request, "badge_id", "Badge")
    image = await Hosting(_stores(request)).badge_image(badge_id) if badge_id else None
    if image is None:
        return _json(NOT_FOUND, 404)
    return Response(image, headers=PUBLIC, media_type="image/png")


async def issuer(request: Request) -> Response:
    issuer_id = _id(request, "issuer_id", "Organization")
    hosting = Hosting(_stores(request))
    document = await hosting.issuer(issuer_id, _languages(request)) if issuer_id else None
    return _json(document) if document else _json(NOT_FOUND, 404)


async def _viewer(request: Request) -> Viewer:
    """A bearer token (an app fetching its user's certificate) or anonymous (a browser);
    checked like the API's (session live, role from the store)."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return ANONYMOUS
    accounts = request.app.state.runtime.services.accounts
    viewer: Viewer | None = await accounts.viewer(token.strip())
    return viewer or ANONYMOUS


async def certificate(request: Request) -> Response:
    """For whoever may see the award and its holder: anyone when the holder shows it
    publicly, else the holder (and the issuer's staff) with a bearer token. Revoked: gone."""
    award_id, lang = _id(request, "award_id"), _lang(request)
    stores = _stores(request)
    viewer = await _viewer(request)
    view = await load_credential(stores, award_id, viewer) if award_id else None
    pages = Pages(stores)
    if view is None or view.holder is None:
        return _html(pages.not_found(lang, request.url.path))
    if view.award.revoked_at is not None:
        return Response(status_code=410, content="Revoked.", media_type="text/plain")
    headers = {"Content-Language": lang, "Cache-Control": "private, no-store"}
    offer_uri = None
    if "wallet" in request.query_params:
        offer = await _wallet_offer(request, viewer, view.award.id)
        if isinstance(offer, Response):
            return offer
        offer_uri, headers[TX_CODE_HEADER] = offer
    links = Links.of(stores.settings.public_base_url)
    # Rendering a PDF is CPU work: a worker thread, never the event loop.
    pdf = await asyncio.to_thread(certificate_pdf, view, links, lang, offer_uri)
    filename = f"certificate-{view.award.id}-{lang}.pdf"
    headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return Response(pdf, headers=headers, media_type="application/pdf")


async def _wallet_offer(
    request: Request, viewer: Viewer, award_id: str
) -> tuple[str, str] | Response:
    """`?wallet=SD_JWT_VC` (or JWT_VC_JSON, LDP_VC): a fresh single-use offer for the
    holder, its URI for the PDF's QR code and its transaction code for the response's
    header (the app shows it; it never goes in the PDF)."""
    wallet = request.app.state.runtime.services.wallet
    configuration = WALLET_FORMATS.get(request.query_params["wallet"] or "SD_JWT_VC")
    if configuration is None:
        return _json({"error": "unknown_format", "formats": sorted(WALLET_FORMATS)}, 400)
    try:
        offer = await wallet.create_offer(viewer, award_id, configuration)
    except DomainError as error:
        return _json({"error": error.code, "reason": getattr(error.reason, "name", None)}, 403)
    return offer.offer_uri, offer.tx_code


def _html(page: Any) -> HTMLResponse:
    return HTMLResponse(page.html, page.status, headers={"Vary": "Accept-Language"})


async def credential_page(request: Request) -> Response:
    award_id, lang = _id(request, "award_id"), _lang(request)
    pages = Pages(_stores(request))
    if award_id is None:
        return _html(pages.not_found(lang, request.url.path))
    return _html(await pages.credential(award_id, lang, request.url.path))


async def profile_page(request: Request) -> Response:
    pages = Pages(_stores(request))
    handle, lang = str(request.path_params["handle"]), _lang(request)
    return _html(await pages.profile(handle, lang, request.url.path))


ROUTES = [
    Route("/ob2/assertions/{award_id}.png", baked_png),
    Route("/ob2/assertions/{award_id}.svg", baked_svg),
    Route("/ob2/assertions/{award_id}", assertion),
    Route("/ob2/badges/{badge_id}/image.png", badge_image),
    Route("/ob2/badges/{badge_id}", badge_class),
    Route("/ob2/issuers/{issuer_id}", issuer),
    Route("/awards/{award_id}/certificate.pdf", certificate),
    Route("/credentials/{award_id}", credential_page),
    Route("/u/{handle}", profile_page),
]
