"""What verifiers of our Open Badges 3.0 credentials fetch: issuers' DID documents
(did:web), their Bitstring Status List credentials, and our extension's JSON-LD context
and JSON Schema. All public, cacheable for a short while, open to any origin."""

import re

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from odznaka_graph.credentials import extension
from odznaka_graph.services.signed_credentials import SignedCredentialService
from odznaka_graph.services.tokens import ANONYMOUS
from odznaka_graph.services.visibility_service import Visibility

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
HEADERS = {"Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=60"}
NOT_FOUND = b'{"error": "Not found."}'


def _service(request: Request) -> SignedCredentialService:
    service: SignedCredentialService = request.app.state.runtime.services.signed_credentials
    return service


def _base(request: Request) -> str:
    return str(request.app.state.runtime.settings.public_base_url)


async def _issuer_exists(request: Request, issuer_id: str) -> bool:
    """Whether the issuer is there for an anonymous verifier: a members-only club (its
    keys, its credentials' status) is not, like everything else of it."""
    stores = request.app.state.runtime.services.stores
    return await Visibility(stores.graph, stores.ledger, ANONYMOUS).issuer_exists(issuer_id)


def _missing() -> Response:
    return Response(NOT_FOUND, 404, media_type="application/json")


async def did_document(request: Request) -> Response:
    issuer_id = str(request.path_params["issuer_id"])
    document = None
    if UUID.match(issuer_id) and await _issuer_exists(request, issuer_id):
        document = await _service(request).did_document(issuer_id)
    if document is None:
        return _missing()
    return Response(orjson.dumps(document), headers=HEADERS, media_type="application/did+json")


async def status_list(request: Request) -> Response:
    issuer_id, list_no = str(request.path_params["issuer_id"]), request.path_params["list_no"]
    found = None
    if UUID.match(issuer_id) and await _issuer_exists(request, issuer_id):
        found = await _service(request).status_list(issuer_id, int(list_no))
    if found is None:
        return _missing()
    # Short caching: a revocation must reach verifiers soon (the list's ttl says the same).
    return Response(found, headers=HEADERS, media_type="application/vc+ld+json")


async def context(request: Request) -> Response:
    body = orjson.dumps(extension.context(_base(request)))
    return Response(body, headers=HEADERS, media_type="application/ld+json")


async def schema(request: Request) -> Response:
    body = orjson.dumps(extension.schema(_base(request)))
    return Response(body, headers=HEADERS, media_type="application/schema+json")


ROUTES = [
    Route("/issuers/{issuer_id}/did.json", did_document),
    Route("/issuers/{issuer_id}/status/{list_no:int}", status_list),
    Route("/contexts/odznaka/v1", context),
    Route("/schemas/odznaka/v1", schema),
]
