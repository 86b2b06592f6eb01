"""Recommendations: what to earn, follow, attend, whom to follow and which clubs to join,
each with a score and its reasons in words."""

from enum import Enum
from typing import Annotated, TypeAlias

import strawberry

from odznaka_graph.clock import now
from odznaka_graph.context import Info
from odznaka_graph.graph_model.recommendations import Kind, Reason
from odznaka_graph.graph_model.recommendations import Recommendation as RecommendationRecord
from odznaka_graph.schema.accounts import User
from odznaka_graph.schema.args import Lang
from odznaka_graph.schema.badges import Badge
from odznaka_graph.schema.clubs import Club
from odznaka_graph.schema.decorators import describe_values, field
from odznaka_graph.schema.events import Event
from odznaka_graph.schema.paths import Path
from odznaka_graph.services.recommendation_texts import describe

strawberry.enum(
    Kind,
    name="RecommendationKind",
    description="What to recommend: badges to earn, paths to follow, events to attend, "
    "people to follow, clubs to join.",
)
describe_values(
    BADGE="Badges to earn.",
    PATH="Paths to follow.",
    EVENT="Events to attend.",
    PERSON="People to follow.",
    CLUB="Clubs to join.",
)(Kind)
RecommendationKind: TypeAlias = Kind


@describe_values(
    PATH_NEXT="A next step of a path you follow.",
    SKILL_GAP="Teaches a skill your paths need.",
    CHOSEN_SKILL="Teaches a skill you asked for.",
    CO_EARNED="People who earned what you earned went on to earn it.",
    CLASS_POPULAR="Earned in your classes.",
    TEAM_POPULAR="Earned in your teams.",
    CLUB_POPULAR="Earned in your clubs.",
    POPULAR="Popular on the platform.",
    PATH_STARTED="A path you have started.",
    CLASS_PATH="A path of your class.",
    TEAM_PATH="A path of your team.",
    POPULAR_PATH="A path many follow.",
    NEARBY="Takes place near you.",
    HOSTED_BY_YOUR_ORGANIZATION="Hosted by your school or company.",
    SOON="Starts soon.",
    CLASSMATE="In your class.",
    TEAMMATE="In your team.",
    SHARED_CLUBS="In your clubs.",
    FOLLOWED_BY_FOLLOWED="Followed by people you follow.",
    SIMILAR_SKILLS="Has skills like yours.",
    CONTACTS_MEMBERS="Your contacts are members.",
    FOLLOWED_MEMBERS="People you follow are members.",
    CLASSMATES_MEMBERS="Your classmates are members.",
    TEAMMATES_MEMBERS="Your teammates are members.",
    POPULAR_CLUB="A club many belong to.",
)
@strawberry.enum(description="Where a recommendation comes from.")
class RecommendationSource(Enum):
    PATH_NEXT = "PATH_NEXT"
    SKILL_GAP = "SKILL_GAP"
    CHOSEN_SKILL = "CHOSEN_SKILL"
    CO_EARNED = "CO_EARNED"
    CLASS_POPULAR = "CLASS_POPULAR"
    TEAM_POPULAR = "TEAM_POPULAR"
    CLUB_POPULAR = "CLUB_POPULAR"
    POPULAR = "POPULAR"
    PATH_STARTED = "PATH_STARTED"
    CLASS_PATH = "CLASS_PATH"
    TEAM_PATH = "TEAM_PATH"
    POPULAR_PATH = "POPULAR_PATH"
    NEARBY = "NEARBY"
    HOSTED_BY_YOUR_ORGANIZATION = "HOSTED_BY_YOUR_ORGANIZATION"
    SOON = "SOON"
    CLASSMATE = "CLASSMATE"
    TEAMMATE = "TEAMMATE"
    SHARED_CLUBS = "SHARED_CLUBS"
    FOLLOWED_BY_FOLLOWED = "FOLLOWED_BY_FOLLOWED"
    SIMILAR_SKILLS = "SIMILAR_SKILLS"
    CONTACTS_MEMBERS = "CONTACTS_MEMBERS"
    FOLLOWED_MEMBERS = "FOLLOWED_MEMBERS"
    CLASSMATES_MEMBERS = "CLASSMATES_MEMBERS"
    TEAMMATES_MEMBERS = "TEAMMATES_MEMBERS"
    POPULAR_CLUB = "POPULAR_CLUB"


Recommended = Annotated[
    Badge | Path | Event | User | Club,
    strawberry.union("Recommended", description="A badge, path, event, person or club."),
]

NODES = {Kind.BADGE: Badge, Kind.PATH: Path, Kind.EVENT: Event, Kind.PERSON: User, Kind.CLUB: Club}


@strawberry.type(description="One reason why something is recommended.")
class RecommendationReason:
    recommendation: strawberry.Private[RecommendationRecord]
    record: strawberry.Private[Reason]

    @field(description="Where the recommendation comes from.")
    def source(self) -> RecommendationSource:
        return RecommendationSource(self.record.code)

    @field(description="The reason in words, in the best matching language.")
    def text(self, info: Info, lang: Lang = None) -> str:
        preferred = info.context.languages(lang.value if lang else None)
        return describe(self.recommendation, self.record, preferred, now())

    @field(description="How much this reason adds to the score.")
    def weight(self) -> float:
        return round(self.record.score, 4)

    @field(description="The number in the reason (people, steps, skills), if any.")
    def count(self) -> int | None:
        return self.record.count


@strawberry.type(description="Something recommended to you, with why.")
class Recommendation:
    record: strawberry.Private[RecommendationRecord]

    @field(description="Higher is better; comparable within one list only.")
    def score(self) -> float:
        return round(self.record.score, 4)

    @field(description="The strongest reason in words, in the best matching language.")
    def reason(self, info: Info, lang: Lang = None) -> str:
        return self.reasons()[0].text(info, lang) if self.record.reasons else ""

    @field(description="Every reason, strongest first.")
    def reasons(self) -> list[RecommendationReason]:
        return [
            RecommendationReason(recommendation=self.record, record=r) for r in self.record.reasons
        ]

    @field(description="What is recommended.")
    def node(self) -> Recommended:
        node: Recommended = NODES[self.record.kind](record=self.record.item)
        return node


@strawberry.input(description="Where to measure distances from, for events.")
class RecommendationCentre:
    latitude: float = strawberry.field(description="Degrees north.")
    longitude: float = strawberry.field(description="Degrees east.")
    radius_km: float | None = strawberry.field(
        default=None, description="How far counts as nearby (default 50 km, at most 500)."
    )
