"""Proving from a wallet (OpenID4VP 1.0): a presentation request for a wallet to answer
(sign-in, or a door check), how it ended, and what a presentation proves."""

import base64
from datetime import datetime
from enum import Enum
from typing import Annotated, TypeAlias

import strawberry

from odznaka_graph.schema.accounts import AuthPayload
from odznaka_graph.schema.common import ErrorReason, Failure
from odznaka_graph.schema.decorators import field
from odznaka_graph.wallet import qr
from odznaka_graph.wallet.presentations import Created


@strawberry.type(
    description="An OpenID4VP request for a wallet: show the QR code (or open the link on "
    "the phone with the wallet). It works once and expires; follow it by `requestId`, "
    "which is not in the QR code (keep it to yourself)."
)
class PresentationRequest:
    record: strawberry.Private[Created]

    @field(description="The handle to follow the request by (walletSignInResult etc.).")
    def request_id(self) -> str:
        return self.record.request_id

    @field(description="openid4vp://?client_id=x509_hash:…&request_uri=…&request_uri_method=post")
    def uri(self) -> str:
        return self.record.uri

    @field(description="The request's QR code as an SVG document (the URI only).")
    def qr_svg(self) -> str:
        return qr.svg(self.record.uri)

    @field(description="The request's QR code as a PNG image, base64-encoded.")
    def qr_png(self) -> str:
        return base64.b64encode(qr.png(self.record.uri)).decode()

    @field(description="Until when a wallet can answer it.")
    def expires_at(self) -> datetime:
        return self.record.expires_at


PresentationRequestResult: TypeAlias = Annotated[
    PresentationRequest | Failure,
    strawberry.union("PresentationRequestResult", description="The request, or why not."),
]


@strawberry.enum(description="Where a presentation request stands.")
class PresentationStatus(Enum):
    PENDING = strawberry.enum_value("PENDING", description="No wallet has answered yet.")
    ACCEPTED = strawberry.enum_value("ACCEPTED", description="A valid answer came.")
    REFUSED = strawberry.enum_value("REFUSED", description="An answer came and was refused.")
    EXPIRED = strawberry.enum_value("EXPIRED", description="Nobody answered in time.")
    COLLECTED = strawberry.enum_value(
        "COLLECTED", description="Sign-in: accepted, and its session was handed out already."
    )


@strawberry.type(description="How a wallet sign-in request stands.")
class WalletSignInResult:
    status: PresentationStatus = strawberry.field(description="ACCEPTED: completeWalletSignIn.")
    reason: ErrorReason | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Why the answer was refused (REFUSED only)."
    )


@strawberry.input(description="A wallet sign-in request that was answered.")
class CompleteWalletSignInInput:
    request_id: str = strawberry.field(description="The requestId walletSignInRequest gave.")


CompleteWalletSignInResult: TypeAlias = Annotated[
    AuthPayload | Failure,
    strawberry.union("CompleteWalletSignInResult", description="The session, or why not."),
]


@strawberry.input(description="Ask an attendee at the door to show a badge from a wallet.")
class PresentationRequestInput:
    event_id: strawberry.ID = strawberry.field(description="Your organisation's event.")
    badge_ids: list[strawberry.ID] = strawberry.field(
        description="Badges any one of which lets the attendee in (1 to 20)."
    )


@strawberry.type(description="How a door check stands; an accepted one checked in.")
class DoorCheckResult:
    status: PresentationStatus = strawberry.field(description="PENDING until answered.")
    reason: ErrorReason | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Why the answer was refused (REFUSED only)."
    )
    attendee_id: strawberry.ID | None = strawberry.field(
        default=None, description="The User checked in (ACCEPTED)."
    )
    badge_id: strawberry.ID | None = strawberry.field(
        default=None, description="The Badge the attendee showed."
    )
    check_in: str | None = strawberry.field(
        default=None,
        description="As confirmEventAttendance says: CONFIRMED, CONFIRMED_AND_AWARDED, ...",
    )
    award_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The event's badge awarded now; it was offered to the wallet straight away.",
    )


@strawberry.input(description="A presentation (or credential) to check.")
class VerifyPresentationInput:
    presentation: str = strawberry.field(
        description="An SD-JWT VC (issuer JWT~disclosures~[key-binding JWT]) or an Open "
        "Badges 3.0 credential (JSON or VC-JWT); up to 300,000 characters."
    )
    nonce: str | None = strawberry.field(
        default=None, description="The nonce the key-binding JWT must carry, if you asked one."
    )
    audience: str | None = strawberry.field(
        default=None, description="The audience the key-binding JWT must name, if any."
    )


@strawberry.type(description="One claim a presentation disclosed.")
class DisclosedClaim:
    name: str = strawberry.field(description="The claim's name.")
    value: str = strawberry.field(description="Its value, as JSON.")


@strawberry.type(description="What a presentation proves, and why it holds or does not.")
class PresentationCheck:
    valid: bool = strawberry.field(description="Every check passed.")
    format: str = strawberry.field(
        description="dc+sd-jwt, or the Open Badges format (DATA_INTEGRITY, VC_JWT, ...)."
    )
    reason: ErrorReason | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="The first check that failed (SD-JWT VC)."
    )
    message: str | None = strawberry.field(default=None, description="That check, in words.")
    issuer: str | None = strawberry.field(default=None, description="The issuer (`iss`).")
    issuer_trusted: bool = strawberry.field(
        default=False, description="The issuer is one of ours (keys in our keyring)."
    )
    credential_type: str | None = strawberry.field(
        default=None, description="The SD-JWT VC `vct`, or the credential's types."
    )
    key_bound: bool = strawberry.field(
        default=False, description="A key-binding JWT by the holder's key came with it."
    )
    checks: list[str] = strawberry.field(default_factory=list, description="What was checked.")
    disclosed: list[DisclosedClaim] = strawberry.field(
        default_factory=list, description="The claims shown (all the issuer signed in clear too)."
    )


__all__ = [
    "CompleteWalletSignInInput",
    "CompleteWalletSignInResult",
    "DisclosedClaim",
    "DoorCheckResult",
    "PresentationCheck",
    "PresentationRequest",
    "PresentationRequestInput",
    "PresentationRequestResult",
    "PresentationStatus",
    "VerifyPresentationInput",
    "WalletSignInResult",
]
