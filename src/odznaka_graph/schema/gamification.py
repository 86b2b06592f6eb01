"""Points, XP, levels, streaks and achievements of a user."""

from datetime import datetime
from enum import Enum
from typing import Annotated, TypeAlias

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.i18n import pick
from odznaka_graph.ids import to_global
from odznaka_graph.schema.common import Failure
from odznaka_graph.schema.decorators import describe_values, field
from odznaka_graph.services import points
from odznaka_graph.services.achievements import Achievement as AchievementRecord
from odznaka_graph.services.gamification_reads import PointEvent as PointEventRow


@describe_values(
    CREDENTIAL_EARNED="A credential was earned.",
    CREDENTIAL_REVOKED="A credential was revoked (its points taken back).",
    CHALLENGE_COMPLETED="A challenge was completed.",
    STREAK_KEPT="A weekly streak continued.",
    GIVEN_BY_TEACHER="Given (or taken) by hand by a teacher or a team's leader, with a note.",
    CORRECTED_BY_TEACHER="Points given by hand, taken back by a correcting entry.",
)
@strawberry.enum(description="Why points were given or taken.")
class PointReason(Enum):
    CREDENTIAL_EARNED = "CREDENTIAL_EARNED"
    CREDENTIAL_REVOKED = "CREDENTIAL_REVOKED"
    CHALLENGE_COMPLETED = "CHALLENGE_COMPLETED"
    STREAK_KEPT = "STREAK_KEPT"
    GIVEN_BY_TEACHER = "GIVEN_BY_TEACHER"
    CORRECTED_BY_TEACHER = "CORRECTED_BY_TEACHER"


@strawberry.type(
    description="A level: level L starts at 50·L·(L−1) XP (2 at 100, 3 at 300, 4 at 600, "
    "5 at 1000), so each level needs 100 XP more than the one before."
)
class Level:
    record: strawberry.Private[points.Level]

    @field(description="The level, from 1.")
    def number(self) -> int:
        return self.record.number

    @field(description="All XP so far (= net points).")
    def xp(self) -> int:
        return self.record.xp

    @field(description="The XP at which this level started.")
    def starts_at_xp(self) -> int:
        return self.record.start

    @field(description="The XP at which the next level starts.")
    def next_level_at_xp(self) -> int:
        return self.record.next_start

    @field(description="How far through this level, 0–100.")
    def percent(self) -> int:
        span = self.record.next_start - self.record.start
        return (100 * (self.record.xp - self.record.start)) // span


@strawberry.type(description="Weekly activity (a credential or a challenge in a week).")
class Streak:
    current_weeks: int = strawberry.field(
        description="Weeks in a row with activity, up to this week (0 once a week is missed)."
    )
    best_weeks: int = strawberry.field(description="The longest run ever.")
    active_this_week: bool = strawberry.field(description="Whether this week counts already.")


SOURCES = {
    points.CHALLENGE: "Challenge",
    points.TEACHER: "Team",
    points.TEACHER_CORRECTION: "PointEvent",
}


@strawberry.type(description="One entry of the points ledger: what was given or taken, and why.")
class PointEvent:
    record: strawberry.Private[PointEventRow]

    @field(description="This entry (to correct points given by hand: correctPoints).")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global("PointEvent", self.record.id))

    @field(description="The note of a teacher who gave or corrected the points by hand.")
    def note(self) -> str | None:
        return self.record.note

    @field(description="Points given (negative: taken back).")
    def amount(self) -> int:
        return self.record.amount

    @field(description="Why.")
    def reason(self) -> PointReason:
        return PointReason(self.record.reason)

    @field(description="When.")
    def at(self) -> datetime:
        return self.record.at

    @field(
        description="What it came from: an Award, a Challenge, the Team whose teacher gave "
        "it, or the PointEvent a correction takes back; null for a streak."
    )
    def source_id(self) -> strawberry.ID | None:
        if self.record.source_id is None:
            return None
        return strawberry.ID(
            to_global(SOURCES.get(self.record.reason, "Award"), self.record.source_id)
        )


@strawberry.type(description="A milestone, reached or not yet.")
class Achievement:
    record: strawberry.Private[AchievementRecord]

    @field(description="A stable code, e.g. FIRST_CREDENTIAL.")
    def code(self) -> str:
        return self.record.milestone.code

    @field(description="Its name in the best matching language.")
    def name(self, info: Info) -> str:
        return (
            pick(self.record.milestone.names, info.context.languages())
            or self.record.milestone.code
        )

    @field(description="Where the measure stands now.")
    def current(self) -> int:
        return self.record.current

    @field(description="What the measure must reach.")
    def target(self) -> int:
        return self.record.milestone.target

    @field(description="When it was reached; null if not yet.")
    def achieved_at(self) -> datetime | None:
        return self.record.achieved_at


@strawberry.input(description="How your points show to others.")
class UpdateGamificationSettingsInput:
    hide_rank_outside_class: bool = strawberry.field(
        description="Keep your rank inside your classes and teams: leaderboards seen by "
        "anyone outside them leave you out."
    )


@strawberry.type(description="Your settings for points and leaderboards.")
class GamificationSettings:
    hide_rank_outside_class: bool = strawberry.field(
        description="Whether leaderboards seen from outside your teams leave you out."
    )


GamificationSettingsResult: TypeAlias = Annotated[
    GamificationSettings | Failure,
    strawberry.union("GamificationSettingsResult", description="The settings saved, or why not."),
]
