"""The wallet's OpenID4VP side over HTTP, mounted by app.py: the signed request object at
its `request_uri` (GET, or POST with an optional `wallet_nonce`), and the `response_uri`
a wallet posts its `direct_post.jwt` answer to. Refusals are OAuth-shaped
(`error`, `error_description`) with our stable `reason` code."""

from urllib.parse import parse_qsl

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from odznaka_graph.errors import DomainError
from odznaka_graph.outcomes import PresentationReason
from odznaka_graph.wallet.presentation_flows import WalletPresentations
from odznaka_graph.wallet.presentations import PATH

MAX_RESPONSE_BYTES = 256 * 1024
MAX_WALLET_NONCE = 256
NO_STORE = {"Cache-Control": "no-store"}
MEDIA_TYPE = "application/oauth-authz-req+jwt"
GONE = {PresentationReason.REQUEST_NOT_FOUND, PresentationReason.REQUEST_EXPIRED}


def _flows(request: Request) -> WalletPresentations:
    flows: WalletPresentations = request.app.state.runtime.services.wallet_presentations
    return flows


def _json(body: object, status: int = 200) -> Response:
    return Response(orjson.dumps(body), status, headers=NO_STORE, media_type="application/json")


async def _form(request: Request) -> dict[str, str] | None:
    body = await request.body()
    if len(body) > MAX_RESPONSE_BYTES:
        return None
    try:
        return dict(parse_qsl(body.decode(), keep_blank_values=True))
    except (UnicodeDecodeError, ValueError):
        return None


async def request_object(request: Request) -> Response:
    form = await _form(request) if request.method == "POST" else {}
    wallet_nonce = (form or {}).get("wallet_nonce")
    if wallet_nonce is not None and not 0 < len(wallet_nonce) <= MAX_WALLET_NONCE:
        return _json({"error": "invalid_request", "error_description": "Bad wallet_nonce."}, 400)
    code = str(request.path_params["code"])
    found = await _flows(request).presentations.request_object(code, wallet_nonce)
    if found is None:
        return _json(
            {
                "error": "invalid_request_uri",
                "error_description": "Unknown, used or expired request.",
            },
            404,
        )
    return Response(found, headers=NO_STORE, media_type=MEDIA_TYPE)


async def response(request: Request) -> Response:
    form = await _form(request)
    if form is None:
        return _json({"error": "invalid_request", "error_description": "Not a form."}, 400)
    try:
        told = await _flows(request).respond(str(request.path_params["code"]), form)
    except DomainError as refused:
        status = 404 if refused.reason in GONE else 400
        error = "invalid_request" if status == 404 else "access_denied"
        body = {"error": error, "error_description": refused.message, "reason": refused.reason.name}
        return _json(body, status)
    return _json(told)


ROUTES = [
    Route(PATH + "{code}/request", request_object, methods=["GET", "POST"]),
    Route(PATH + "{code}/response", response, methods=["POST"]),
]
