"""Profile sections, each behind its visibility rule; featured credentials, section
visibility, endorsements and credential verification."""

from typing import Any

import strawberry

from odznaka_graph.context import Info
from odznaka_graph.graph_model import profiles as profile_graph
from odznaka_graph.graph_model.awards import AwardRecord
from odznaka_graph.graph_model.profiles import EndorsementRecord
from odznaka_graph.graph_model.users import UserRecord
from odznaka_graph.ids import local_id
from odznaka_graph.paging import BadCursor, Page, decode_cursor
from odznaka_graph.resolvers.audience import audience
from odznaka_graph.resolvers.common import as_result
from odznaka_graph.resolvers.signed_credentials import document_verification
from odznaka_graph.schema.accounts import ProfileResult, ProfileVisibility, User
from odznaka_graph.schema.arguments import UserInputError, local, window
from odznaka_graph.schema.awards import Award
from odznaka_graph.schema.common import Connection, to_connection
from odznaka_graph.schema.decorators import field, mutation
from odznaka_graph.schema.profiles import (
    AwardFilter,
    AwardGroup,
    AwardGrouping,
    CredentialVerification,
    CredentialVerificationStatus,
    EndorseAwardInput,
    Endorsement,
    EndorsementResult,
    ProfileSectionVisibility,
    SetFeaturedAwardsInput,
    SkillMapEntry,
    UpdateProfileVisibilityInput,
)
from odznaka_graph.services.loaders import forget
from odznaka_graph.services.profiles import credential_status, skill_level
from odznaka_graph.services.visibility import can_see_profile_award, club_readers

MAX_GROUP_PREVIEW = 20
EMPTY: Page[Any] = Page([], False, False, 0)


async def _sees(info: Info, user: UserRecord, section: str) -> bool:
    return await info.context.loaders.visibility.sees_section(user, section)


def _readers(info: Info) -> profile_graph.AwardReaders:
    return profile_graph.AwardReaders(info.context.viewer.id, club_readers())


def _filter(given: AwardFilter | None) -> profile_graph.AwardFilter:
    if given is None:
        return profile_graph.AwardFilter()
    return profile_graph.AwardFilter(
        statuses=tuple(status.value for status in given.status or []),
        issuer_id=_filter_id(given.issuer_id, "Organization", "issuerId"),
        skill_id=_filter_id(given.skill_id, "Skill", "skillId"),
        kind=given.kind.value if given.kind else None,
    )


def _filter_id(global_id: str | None, type_name: str, field: str) -> str | None:
    if global_id is None:
        return None
    decoded = local_id(global_id, type_name)
    if decoded is None:
        raise UserInputError(f"`{field}` is not the id of a {type_name}.")
    return decoded


async def awards_of_user(
    info: Info, user: UserRecord, given: AwardFilter | None, *page_args: Any
) -> Connection[Award]:
    page_window = window(info, *page_args)
    award_filter = _filter(given)
    if not await _sees(info, user, "awards"):
        return to_connection(EMPTY, Award)
    graph = info.context.services.stores.graph
    try:
        page = await profile_graph.filtered_awards(
            graph, user.id, award_filter, page_window, _readers(info)
        )
    except BadCursor as error:
        raise UserInputError(str(error)) from None
    return to_connection(page, lambda record: Award(record=record))


async def award_groups_of(
    info: Info, user: UserRecord, by: AwardGrouping, given: AwardFilter | None, preview: int
) -> list[AwardGroup]:
    if not 0 <= preview <= MAX_GROUP_PREVIEW:
        raise UserInputError(f"`preview` must be between 0 and {MAX_GROUP_PREVIEW}.")
    award_filter = _filter(given)
    if not await _sees(info, user, "awards"):
        return []
    graph = info.context.services.stores.graph
    groups = await profile_graph.award_groups(
        graph, user.id, by.value, award_filter, preview, _readers(info)
    )
    return [AwardGroup(key=g.key, by=by, count=g.count, newest_records=g.newest) for g in groups]


async def skills_of(info: Info, user: UserRecord) -> list[SkillMapEntry]:
    viewer_audience = await audience(info, user)
    if not await _sees(info, user, "skills"):
        return []
    entries = await info.context.loaders.skill_map_by_user.load(user.id)
    shown = [
        SkillMapEntry(
            record=entry,
            level=skill_level(len(entry.awards), entry.max_eqf_level),
            visible_awards=[
                a for a in entry.awards if can_see_profile_award(viewer_audience, user, a.id)
            ],
        )
        for entry in entries
    ]
    return sorted(shown, key=lambda entry: -entry.level)  # stable: ties keep the query's order


async def featured_of(info: Info, user: UserRecord) -> list[Award]:
    """The owner's chosen order; credentials revoked or expired since then drop out."""
    if not user.featured_award_ids or not await _sees(info, user, "featured"):
        return []
    records = await info.context.loaders.visibility.awards(user.featured_award_ids)
    at = profile_graph.now()
    return [
        Award(record=record)
        for record in records
        if record is not None and _still_featurable(record, user.id, at)
    ]


def _still_featurable(record: AwardRecord | None, user_id: str, at: Any) -> bool:
    return (
        record is not None
        and record.recipient_id == user_id
        and credential_status(record, at) == "VALID"
    )


async def contacts_count_of(info: Info, user: UserRecord) -> int | None:
    if not await _sees(info, user, "contacts"):
        return None
    return int(await info.context.loaders.contact_count_by_user.load(user.id))


def section_visibility_of(info: Info, user: UserRecord) -> ProfileSectionVisibility | None:
    if info.context.viewer.id != user.id:
        return None
    sections = {
        name: ProfileVisibility(user.sections.get(name, "PUBLIC"))
        for name in ("awards", "skills", "featured", "contacts")
    }
    return ProfileSectionVisibility(profile=ProfileVisibility(user.visibility), **sections)


async def endorsements_of(
    info: Info, award: AwardRecord, first: int | None, after: str | None
) -> Connection[Endorsement]:
    page_window = window(info, first, after, None, None)
    if after is not None:
        try:
            decode_cursor(after)
        except BadCursor as error:
            raise UserInputError(str(error)) from None
    key = (award.id, page_window.size, after)
    page = await info.context.loaders.endorsements_by_award.load(key)
    return to_connection(page or EMPTY, lambda record: Endorsement(record=record))


async def endorsement_count_of(info: Info, award: AwardRecord) -> int:
    return int(await info.context.loaders.endorsement_count_by_award.load(award.id))


async def _fresh_user(info: Info, user_id: str) -> User | None:
    forget(info.context.loaders.user_by_id, user_id)
    record = await info.context.loaders.user_by_id.load(user_id)
    return User(record=record) if record else None


async def _verification(info: Info, award_id: strawberry.ID) -> CredentialVerification:
    found = await info.context.services.profiles.verify(
        info.context.viewer, local_id(award_id, "Award")
    )
    return CredentialVerification(
        status=CredentialVerificationStatus(found.status),
        reasons=found.reasons,
        credential=found.credential,
        holder_shown=found.holder_shown,
        badge_names=found.badge_names or {},
        issuer_id=found.issuer_id,
    )


@strawberry.type
class ProfileQueries:
    @field(
        description="Check an award id, or a pasted credential document (ours or anyone's "
        "Open Badges 3.0: JSON with a Data Integrity proof, or a VC-JWT): is it authentic, "
        "valid, expired or revoked, and why. A document gets `checks` (signature, issuer, "
        "status, expiry), each with a reason. Give exactly one of the two. Works without "
        "signing in; the holder is shown only to those who may see the award."
    )
    async def verify_credential(
        self,
        info: Info,
        award_id: strawberry.ID | None = None,
        document: str | None = None,
    ) -> CredentialVerification:
        if (award_id is None) == (document is None):
            raise UserInputError("Give either `awardId` or `document`.")
        if document is not None:
            return await document_verification(info, document)
        assert award_id is not None
        return await _verification(info, award_id)


@strawberry.type
class ProfileMutations:
    @mutation(description="Choose and order up to six of your own valid credentials to feature.")
    async def set_featured_awards(self, info: Info, input: SetFeaturedAwardsInput) -> ProfileResult:
        async def command() -> str:
            ids = [local(i, "Award", f"awardIds.{n}") for n, i in enumerate(input.award_ids)]
            return await info.context.services.profiles.set_featured(
                info.context.viewer, {"award_ids": ids}
            )

        return await as_result(command(), lambda user_id: _fresh_user(info, user_id))

    @mutation(
        description="Set who sees your profile and each of its sections (PUBLIC, CONTACTS, "
        "PRIVATE); a section is never more visible than the profile."
    )
    async def update_profile_visibility(
        self, info: Info, input: UpdateProfileVisibilityInput
    ) -> ProfileResult:
        data = {name: level.value for name, level in vars(input).items() if level is not None}
        work = info.context.services.profiles.update_visibility(info.context.viewer, data)
        return await as_result(work, lambda user_id: _fresh_user(info, user_id))

    @mutation(
        description="Endorse another user's valid credential you can see; endorsing it "
        "again replaces your comment (one endorsement per person and credential)."
    )
    async def endorse_award(self, info: Info, input: EndorseAwardInput) -> EndorsementResult:
        async def command() -> EndorsementRecord:
            data = {"award_id": local(input.award_id, "Award", "awardId"), "comment": input.comment}
            return await info.context.services.profiles.endorse(info.context.viewer, data)

        return await as_result(command(), _endorsement)


async def _endorsement(record: EndorsementRecord) -> Endorsement:
    return Endorsement(record=record)
