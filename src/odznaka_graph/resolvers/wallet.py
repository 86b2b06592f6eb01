"""Offering an award to the holder's wallet (OpenID4VCI, issue 16)."""

from typing import Annotated

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.resolvers.common import as_result
from odznaka_graph.schema.args import INPUT
from odznaka_graph.schema.arguments import local
from odznaka_graph.schema.decorators import mutation
from odznaka_graph.schema.wallet import (
    CreateCredentialOfferInput,
    CreateCredentialOfferResult,
    CredentialOffer,
)
from odznaka_graph.wallet.issuance import Offer


async def _offer(offer: Offer) -> CredentialOffer:
    return CredentialOffer(record=offer)


@strawberry.type
class WalletMutations:
    @mutation(
        description="A credential offer of your award for your wallet (OpenID4VCI 1.0, "
        "pre-authorised code with a transaction code): the holder only, for an award that "
        "is neither revoked nor expired. The offer works once and expires "
        "(WALLET_OFFER_SECONDS); each offer, token and issuance is in the audit log."
    )
    async def create_credential_offer(
        self, info: Info, input: Annotated[CreateCredentialOfferInput, INPUT]
    ) -> CreateCredentialOfferResult:
        async def command() -> Offer:
            award_id = local(input.award_id, "Award", "awardId")
            return await info.context.services.wallet.create_offer(info.context.viewer, award_id)

        return await as_result(command(), _offer)
