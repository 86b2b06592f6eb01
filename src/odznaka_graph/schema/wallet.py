"""Sending a credential to a wallet (OpenID4VCI): the offer a holder scans, and its
transaction code, given apart from the QR code."""

import base64
from datetime import datetime
from enum import Enum
from typing import Annotated, TypeAlias

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.schema.awards import Award
from odznaka_graph.schema.common import Failure
from odznaka_graph.schema.decorators import field
from odznaka_graph.wallet import qr
from odznaka_graph.wallet.issuance import Offer


@strawberry.enum(description="The credential formats a wallet can be offered.")
class WalletCredentialFormat(Enum):
    SD_JWT_VC = strawberry.enum_value(
        "SD_JWT_VC",
        description="SD-JWT VC (`dc+sd-jwt`, ES256), the EUDI wallets' format: the Polish "
        "standard's fields as selectively disclosable claims, revocation by Token Status List.",
    )
    JWT_VC_JSON = strawberry.enum_value(
        "JWT_VC_JSON",
        description="The Open Badges 3.0 VC-JWT of exportCredential (ES256, VCDM 2.0 "
        "payload), for learner wallets; not bound to a wallet key.",
    )
    LDP_VC = strawberry.enum_value(
        "LDP_VC",
        description="The Open Badges 3.0 JSON-LD credential of exportCredential "
        "(eddsa-rdfc-2022), for learner wallets; not bound to a wallet key.",
    )


@strawberry.type(
    description="A single-use OpenID4VCI credential offer (pre-authorised code): scan the QR "
    "code (or open the link) with a wallet, then type the transaction code into it."
)
class CredentialOffer:
    record: strawberry.Private[Offer]

    @field(description="The offer for a wallet: openid-credential-offer://?credential_offer_uri=")
    def offer_uri(self) -> str:
        return self.record.offer_uri

    @field(description="The offer's QR code as an SVG document (the offer URI only).")
    def qr_svg(self) -> str:
        return qr.svg(self.record.offer_uri)

    @field(description="The offer's QR code as a PNG image, base64-encoded.")
    def qr_png(self) -> str:
        return base64.b64encode(qr.png(self.record.offer_uri)).decode()

    @field(
        description="The transaction code (6 digits) the wallet asks for. It is never in the "
        "QR code or the offer: show it to the holder apart from them."
    )
    def transaction_code(self) -> str:
        return self.record.tx_code

    @field(description="The credential configuration offered (issuer metadata's id).")
    def credential_configuration_id(self) -> str:
        return self.record.configuration_id

    @field(description="Until when the offer can be redeemed; after one use it is spent.")
    def expires_at(self) -> datetime:
        return self.record.expires_at


@strawberry.input(description="Which award to offer to a wallet, and in which format.")
class CreateCredentialOfferInput:
    award_id: strawberry.ID = strawberry.field(description="The award (yours) to offer.")
    format: WalletCredentialFormat = strawberry.field(
        default=WalletCredentialFormat.SD_JWT_VC, description="SD_JWT_VC unless asked."
    )


CreateCredentialOfferResult: TypeAlias = Annotated[
    CredentialOffer | Failure,
    strawberry.union("CreateCredentialOfferResult", description="The offer, or why not."),
]


@strawberry.type(description="A wallet picked one of your credentials up (OpenID4VCI).")
class CredentialIssued:
    award_id: strawberry.Private[str]
    event_id: str = strawberry.field(
        description="The event's id: the same event delivered twice has the same id."
    )
    issued_at: datetime = strawberry.field(description="When the credential was issued.")

    @field(description="The award now in the wallet.")
    async def award(self, info: Info) -> Award | None:
        record = await info.context.loaders.visibility.award(self.award_id)
        return Award(record=record) if record else None
