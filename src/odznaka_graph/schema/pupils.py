"""Pupils enrolled by their teacher without e-mail, their sign-in slips, guardians'
consent (issue 15)."""

from datetime import datetime
from typing import Annotated, Any, TypeAlias

import strawberry

from odznaka_graph.ids import to_global
from odznaka_graph.schema.common import Failure
from odznaka_graph.schema.decorators import describe_values, field
from odznaka_graph.schema.teams import Team
from odznaka_graph.services.pupil_rules import AgeBand
from odznaka_graph.services.pupils import Slip, redeem_url, shown_code

strawberry.enum(
    AgeBand,
    name="AgeBand",
    description="An age band, recorded at a pupil's enrolment or given at registration: "
    "under 16 (the consent age in Poland) the profile stays non-public without a guardian's "
    "consent.",
)
describe_values(
    UNDER_13="Younger than 13.",
    FROM_13_TO_15="13 to 15 years old.",
    FROM_16_TO_17="16 or 17 years old.",
    ADULT="18 or older.",
)(AgeBand)
AgeBandEnum: TypeAlias = AgeBand


@strawberry.input(description="One pupil of the roster: no e-mail address needed.")
class RosterPupilInput:
    name: str = strawberry.field(
        description="The pupil's name as the teacher knows it (1–100 characters); shown to "
        "the class's teachers only."
    )
    pseudonym: str | None = strawberry.field(
        default=None,
        description="The name everyone else sees (1–40 characters); without it, the first "
        "name and the initial of the last (Anna K.).",
    )


@strawberry.input(description="Enrol pupils in a class, each with a one-time sign-in code.")
class EnrolPupilsInput:
    team_id: strawberry.ID = strawberry.field(description="The class (its teachers enrol).")
    age_band: AgeBandEnum = strawberry.field(description="The pupils' age band.")
    pupils: list[RosterPupilInput] = strawberry.field(
        description="The roster (at most PUPIL_ROSTER_MAX at once)."
    )


@strawberry.type(description="A new pupil with their one-time sign-in code (shown once).")
class PupilSlip:
    record: strawberry.Private[Slip]
    base_url: strawberry.Private[str]

    @field(description="The pupil's account (a global User id).")
    def user_id(self) -> strawberry.ID:
        return strawberry.ID(to_global("User", self.record.account_id))

    @field(description="The pupil's handle: random, never their name.")
    def handle(self) -> str:
        return self.record.handle

    @field(description="The name the teacher typed.")
    def name(self) -> str:
        return self.record.name

    @field(description="The name everyone else sees.")
    def shown_name(self) -> str:
        return self.record.shown_name

    @field(description="The one-time code, e.g. ABCDE-23456; only its hash is kept.")
    def sign_in_code(self) -> str:
        return shown_code(self.record.code)

    @field(description="Until when the code works (PUPIL_CODE_DAYS).")
    def code_expires_at(self) -> datetime:
        return self.record.expires_at

    @field(description="The page where the pupil types the code and sets a password.")
    def redeem_url(self) -> str:
        return redeem_url(self.base_url, self.record.code)


@strawberry.type(description="The pupils were enrolled.")
class EnrolledPupils:
    team: Team = strawberry.field(description="The class.")
    pupils: list[PupilSlip] = strawberry.field(description="Each new pupil with their code.")
    sheet_url: str = strawberry.field(
        description="POST here (as the class's teacher, with the bearer token) for the PDF "
        "of slips; printing gives the pupils who have not signed in yet new codes."
    )


@strawberry.type(description="A pupil of the class's roster, for its teachers.")
class RosterPupil:
    record: strawberry.Private[Any]

    @field(description="The pupil's account (a global User id).")
    def user_id(self) -> strawberry.ID:
        return strawberry.ID(to_global("User", self.record.account_id))

    @field(description="The pupil's handle (they sign in with it).")
    def handle(self) -> str:
        return str(self.record.handle)

    @field(description="The name the teacher typed.")
    def name(self) -> str:
        return str(self.record.name)

    @field(description="The name everyone else sees.")
    def shown_name(self) -> str:
        return str(self.record.shown_name)

    @field(description="The age band recorded at enrolment.")
    def age_band(self) -> AgeBandEnum:
        return AgeBand(self.record.age_band)

    @field(description="When the pupil first signed in with a code; null until then.")
    def signed_in_at(self) -> datetime | None:
        value: datetime | None = self.record.signed_in_at
        return value


@strawberry.input(description="A one-time sign-in code from a slip, and a new password.")
class RedeemSignInCodeInput:
    code: str = strawberry.field(description="E.g. ABCDE-23456; case and dashes are ignored.")
    password: str = strawberry.field(description="The pupil's new password (10–200 characters).")


@strawberry.input(description="Ask a guardian's consent for a pupil under 16.")
class RequestGuardianConsentInput:
    guardian_email: str = strawberry.field(description="Where the one-click link goes.")
    pupil_id: strawberry.ID | None = strawberry.field(
        default=None, description="The pupil (their teacher asks); omit to ask for yourself."
    )


@strawberry.type(description="The guardian was mailed a link to consent.")
class GuardianConsentRequested:
    pupil_id: strawberry.ID = strawberry.field(description="The pupil.")


EnrolPupilsResult: TypeAlias = Annotated[
    EnrolledPupils | Failure,
    strawberry.union("EnrolPupilsResult", description="The new pupils, or why not."),
]
GuardianConsentResult: TypeAlias = Annotated[
    GuardianConsentRequested | Failure,
    strawberry.union("GuardianConsentResult", description="The request sent, or why not."),
]
