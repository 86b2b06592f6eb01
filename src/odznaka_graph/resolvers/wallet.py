"""Offering an award to the holder's wallet (OpenID4VCI, issue 16)."""

from collections.abc import AsyncGenerator
from datetime import datetime
from typing import Annotated

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.pubsub import Recent, decode, user_channel
from odznaka_graph.resolvers.common import as_result
from odznaka_graph.resolvers.live import listening, refresh, signed_in
from odznaka_graph.schema.args import INPUT
from odznaka_graph.schema.arguments import local
from odznaka_graph.schema.decorators import mutation
from odznaka_graph.schema.wallet import (
    CreateCredentialOfferInput,
    CreateCredentialOfferResult,
    CredentialIssued,
    CredentialOffer,
)
from odznaka_graph.wallet.issuance import CONFIGURATIONS, ISSUED, Offer


async def _offer(offer: Offer) -> CredentialOffer:
    return CredentialOffer(record=offer)


@strawberry.type
class WalletMutations:
    @mutation(
        description="A credential offer of your award for your wallet (OpenID4VCI 1.0, "
        "pre-authorised code with a transaction code), as an SD-JWT VC (EUDI wallets) or an "
        "Open Badges 3.0 credential (learner wallets): the holder only, for an award that "
        "is neither revoked nor expired. The offer works once and expires "
        "(WALLET_OFFER_SECONDS); each offer, token and issuance is in the audit log."
    )
    async def create_credential_offer(
        self, info: Info, input: Annotated[CreateCredentialOfferInput, INPUT]
    ) -> CreateCredentialOfferResult:
        async def command() -> Offer:
            award_id = local(input.award_id, "Award", "awardId")
            configuration = CONFIGURATIONS[input.format.name]
            wallet = info.context.services.wallet
            return await wallet.create_offer(info.context.viewer, award_id, configuration)

        return await as_result(command(), _offer)


async def credential_issued(info: Info) -> AsyncGenerator[CredentialIssued, None]:
    """The signed-in holder's credentials as wallets pick them up."""
    recent = Recent()
    async with listening(info, user_channel(signed_in(info))) as listener:
        async for message in listener:
            event = decode(message)
            if event["topic"] != ISSUED or not recent.first_time(event["eventId"]):
                continue  # the user's channel carries awards and notifications too
            refresh(info)
            payload = event["payload"]
            yield CredentialIssued(
                award_id=payload["awardId"],
                event_id=event["eventId"],
                issued_at=datetime.fromisoformat(payload["at"]),
            )
