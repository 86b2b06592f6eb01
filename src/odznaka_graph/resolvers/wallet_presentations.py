"""Signing in and proving with a wallet (OpenID4VP 1.0, issue 16): the requests, how
they end, and verifyPresentation."""

import asyncio
import json
from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.errors import NotFound
from odznaka_graph.ids import to_global
from odznaka_graph.outcomes import DOMAINS
from odznaka_graph.resolvers.accounts import _session, client_address, device
from odznaka_graph.resolvers.common import as_result
from odznaka_graph.schema.args import INPUT, described
from odznaka_graph.schema.arguments import local
from odznaka_graph.schema.common import reason_of
from odznaka_graph.schema.decorators import field, mutation
from odznaka_graph.schema.wallet_presentations import (
    CompleteWalletSignInInput,
    CompleteWalletSignInResult,
    DisclosedClaim,
    DoorCheckResult,
    PresentationCheck,
    PresentationRequest,
    PresentationRequestInput,
    PresentationRequestResult,
    PresentationStatus,
    VerifyPresentationInput,
    WalletSignInResult,
)
from odznaka_graph.wallet import presentation_check
from odznaka_graph.wallet.presentations import Created

POLL_SECONDS = 0.5
RequestId = Annotated[str, described("The requestId the request gave.")]


async def _request(created: Created) -> PresentationRequest:
    return PresentationRequest(record=created)


def _reason(name: str | None) -> object:
    for domain in DOMAINS:
        if name is not None and name in domain.__members__:
            return reason_of(domain[name])
    return None


async def _sign_in_result(info: Info, request_id: str) -> WalletSignInResult | None:
    flows = info.context.services.wallet_presentations
    try:
        status, reason = await flows.sign_in_status(request_id)
    except NotFound:
        return None
    return WalletSignInResult(status=PresentationStatus[status], reason=_reason(reason))


@strawberry.type
class WalletPresentationQueries:
    @field(
        description="How a wallet sign-in request stands (poll it, or subscribe to "
        "walletSignInResult); once ACCEPTED, completeWalletSignIn hands out the session. "
        "Null for an unknown request id."
    )
    async def wallet_sign_in_result(
        self, info: Info, request_id: RequestId
    ) -> WalletSignInResult | None:
        return await _sign_in_result(info, request_id)

    @field(description="How your door check stands; null unless you asked it (or it is unknown).")
    async def presentation_result(
        self, info: Info, request_id: RequestId
    ) -> DoorCheckResult | None:
        flows = info.context.services.wallet_presentations
        try:
            status, outcome = await flows.door_result(info.context.viewer, request_id)
        except NotFound:
            return None
        return DoorCheckResult(
            status=PresentationStatus[status],
            reason=_reason(outcome.get("reason")),
            attendee_id=_global("User", outcome.get("accountId")),
            badge_id=_global("Badge", outcome.get("badgeShown")),
            check_in=outcome.get("checkIn"),
            award_id=_global("Award", outcome.get("awardId")),
        )

    @field(
        description="Check a presentation: an SD-JWT VC (ours or another issuer's; with its "
        "key-binding JWT checked against `nonce` and `audience` when given) or an Open "
        "Badges 3.0 credential. Reports what was disclosed and each check."
    )
    async def verify_presentation(
        self, info: Info, input: Annotated[VerifyPresentationInput, INPUT]
    ) -> PresentationCheck:
        stores = info.context.services.stores
        report = await presentation_check.check(
            stores, info.context.viewer, input.presentation, input.nonce, input.audience
        )
        return PresentationCheck(
            valid=report.valid,
            format=report.format,
            reason=reason_of(report.reason.reason) if report.reason else None,
            message=report.reason.message if report.reason else None,
            issuer=report.issuer,
            issuer_trusted=report.issuer_trusted,
            credential_type=report.credential_type,
            key_bound=report.key_bound,
            checks=report.checks,
            disclosed=[
                DisclosedClaim(name=name, value=json.dumps(value, ensure_ascii=False))
                for name, value in report.disclosed.items()
            ],
        )


def _global(kind: str, local_id: object) -> strawberry.ID | None:
    return strawberry.ID(to_global(kind, str(local_id))) if local_id else None


@strawberry.type
class WalletPresentationMutations:
    @mutation(
        description="Sign in with a wallet (OpenID4VP 1.0, HAIP: signed request by "
        "reference, x509_hash client id, direct_post.jwt encrypted to a per-request key). The "
        "wallet shows an Odznaka credential we issued to you (createCredentialOffer); follow "
        "the request with walletSignInResult, then completeWalletSignIn. Expires after "
        "WALLET_PRESENTATION_SECONDS; answered once."
    )
    async def wallet_sign_in_request(self, info: Info) -> PresentationRequestResult:
        flows = info.context.services.wallet_presentations
        return await as_result(flows.sign_in_request(client_address(info)), _request)

    @mutation(description="The session of an ACCEPTED wallet sign-in; handed out once.")
    async def complete_wallet_sign_in(
        self, info: Info, input: Annotated[CompleteWalletSignInInput, INPUT]
    ) -> CompleteWalletSignInResult:
        flows = info.context.services.wallet_presentations
        return await as_result(flows.complete_sign_in(input.request_id, device(info)), _session)

    @mutation(
        description="A door check for your organisation's event: the attendee shows one of "
        "the badges from their wallet; a valid answer checks them in (and, where the event "
        "awards a badge, offers it to the wallet at once). Follow it with presentationResult."
    )
    async def presentation_request(
        self, info: Info, input: Annotated[PresentationRequestInput, INPUT]
    ) -> PresentationRequestResult:
        async def command() -> Created:
            event_id = local(input.event_id, "Event", "eventId")
            badge_ids = [
                local(badge, "Badge", f"badgeIds.{n}") for n, badge in enumerate(input.badge_ids)
            ]
            flows = info.context.services.wallet_presentations
            return await flows.door_request(info.context.viewer, event_id, badge_ids)

        return await as_result(command(), _request)


async def wallet_sign_in_results(
    info: Info, request_id: str
) -> AsyncGenerator[WalletSignInResult, None]:
    """The request's status once a wallet answered (or it expired), then the end."""
    while True:
        result = await _sign_in_result(info, request_id)
        if result is None:
            return
        if result.status is not PresentationStatus.PENDING:
            yield result
            return
        await asyncio.sleep(POLL_SECONDS)
