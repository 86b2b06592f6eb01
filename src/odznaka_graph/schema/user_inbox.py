"""What the platform brings the viewer: notifications, recommendations, the home place."""

from typing import TYPE_CHECKING, Annotated

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.errors import ValidationFailed
from odznaka_graph.graph_model.users import UserRecord
from odznaka_graph.schema.args import After, Before, First, Last, described
from odznaka_graph.schema.arguments import UserInputError, local, window
from odznaka_graph.schema.common import to_connection
from odznaka_graph.schema.decorators import field
from odznaka_graph.services import account_reads, notification_reads, recommendation_reads
from odznaka_graph.services.recommendation_reads import Centre

if TYPE_CHECKING:
    from odznaka_graph.schema.events import Place
    from odznaka_graph.schema.notifications import NotificationConnection
    from odznaka_graph.schema.recommendations import (
        Recommendation,
        RecommendationCentre,
        RecommendationKind,
    )

NotificationConnectionRef = Annotated[
    "NotificationConnection", strawberry.lazy("odznaka_graph.schema.notifications")
]
_RECOMMENDATIONS = "odznaka_graph.schema.recommendations"
RecommendationRef = Annotated["Recommendation", strawberry.lazy(_RECOMMENDATIONS)]
RecommendationKindRef = Annotated["RecommendationKind", strawberry.lazy(_RECOMMENDATIONS)]
CentreRef = Annotated["RecommendationCentre", strawberry.lazy(_RECOMMENDATIONS)]
PlaceRef = Annotated["Place", strawberry.lazy("odznaka_graph.schema.events")]


@strawberry.type
class UserInboxFields:
    record: strawberry.Private[UserRecord]

    @field(
        description="Your notifications, newest first, with how many are unread; null for "
        "anyone else."
    )
    async def notifications(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        unread_only: Annotated[
            bool, strawberry.argument(description="Only those not marked read yet.")
        ] = False,
    ) -> NotificationConnectionRef | None:
        from odznaka_graph.schema.notifications import (  # notifications name users: a cycle
            Notification,
            NotificationConnection,
        )

        asked = window(info, first, after, last, before)
        found = await notification_reads.notifications(
            info.context.loaders, self.record.id, asked, unread_only
        )
        if found is None:
            return None
        page, unread = found
        connection: NotificationConnection = to_connection(
            page, lambda r: Notification(record=r), NotificationConnection, unread_count=unread
        )
        return connection

    @field(
        description="What to earn, follow, attend, whom to follow or which clubs to join, "
        "best first, each with a score and its reasons; the viewer's own only, empty for "
        "anyone else. Never what you already have, follow, attend or belong to, nor "
        "anything you may not see."
    )
    async def recommendations(
        self,
        info: Info,
        kind: Annotated[RecommendationKindRef, described("What to recommend.")],
        first: Annotated[int, strawberry.argument(description="How many, 1 to 50.")] = 10,
        skill_ids: Annotated[
            list[strawberry.ID] | None,
            strawberry.argument(description="Skills you look for (badges, paths, events)."),
        ] = None,
        near: Annotated[
            CentreRef | None,
            strawberry.argument(
                description="Where to measure distances from (events); default: your home "
                "place, else the place of the last on-site event you registered for."
            ),
        ] = None,
    ) -> list[RecommendationRef]:
        from odznaka_graph.schema.recommendations import Recommendation  # names users: a cycle

        try:
            skills = [local(skill_id, "Skill", "skillIds") for skill_id in skill_ids or []]
            centre = Centre(near.latitude, near.longitude, near.radius_km) if near else None
            found = await recommendation_reads.recommendations(
                info.context.loaders, self.record.id, kind, first, skills, centre
            )
        except ValidationFailed as error:
            raise UserInputError.of_fields(error) from None
        return [Recommendation(record=item) for item in found]

    @field(description="Your home place, for nearby events; yours only.")
    def home_place(self, info: Info) -> PlaceRef | None:
        from odznaka_graph.schema.events import Place

        home = account_reads.home_place(info.context.loaders, self.record)
        if home is None:
            return None
        return Place(latitude=home[0], longitude=home[1], address=home[2])
