"""Plumbing shared by the subscriptions: admission, bursts of events, the end of a
membership, fresh reads for each event.

A member's stream is opened before their membership is checked, so nothing that happens
between the check and the first event is missed; when an event says the subscriber's own
membership ended (removed, left), the stream delivers that event and then completes.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Collection
from contextlib import asynccontextmanager
from typing import TypeVar

from odznaka_graph.context import Info
from odznaka_graph.errors import DomainError, PermissionDenied, RateLimited
from odznaka_graph.fanout import Listener, LiveGap, SubscriberTooSlow
from odznaka_graph.ids import local_id
from odznaka_graph.outcomes import AccountReason, ClubReason, InputReason
from odznaka_graph.pubsub import LiveEvent, Recent, live_event
from odznaka_graph.resolvers.operation_loaders import fresh_loaders
from odznaka_graph.schema.arguments import ClientError, UserInputError

T = TypeVar("T")
CODES = {PermissionDenied.code: "FORBIDDEN"}
MEMBERSHIP_ENDED = "You are no longer a member: this stream has ended."


def signed_in(info: Info) -> str:
    viewer = info.context.viewer
    if viewer.id is None:
        raise ClientError(
            "Send your access token in connection_init first.",
            "UNAUTHENTICATED",
            AccountReason.SIGN_IN_REQUIRED,
        )
    return viewer.id


async def may_catch_up(info: Info, user_id: str) -> None:
    """Counts a catch-up (`since`) of the account; too many in a minute: RATE_LIMITED."""
    try:
        await info.context.services.catch_ups.check(user_id)
    except RateLimited as error:
        refused = ClientError.of(error)
        refused.extensions = (refused.extensions or {}) | {
            "retryAfterSeconds": error.retry_after_seconds
        }
        raise refused from None


def decoded(global_id: str, type_name: str, argument: str) -> str:
    found = local_id(global_id, type_name)
    if found is None:
        raise UserInputError(f"`{argument}` is not the id of a {type_name}.", InputReason.NOT_AN_ID)
    return found


@asynccontextmanager
async def listening(info: Info, channel: str) -> AsyncIterator[Listener]:
    """A channel's messages; a subscriber that falls behind, or whose stream lost messages
    while pub/sub was away (a stream that cannot catch up by itself), gets a clear error
    to act on."""
    try:
        async with info.context.services.pubsub.listen(channel) as listener:
            yield listener
    except SubscriberTooSlow as error:
        raise ClientError(str(error), "SUBSCRIBER_TOO_SLOW") from None
    except LiveGap as error:
        raise ClientError(str(error), "LIVE_GAP") from None


def refresh(info: Info) -> None:
    """New loaders for each event: a connection lives for hours, and what the subscriber
    may see (a profile, a membership) can change meanwhile."""
    fresh_loaders(info.context)


async def admitted(check: Awaitable[T]) -> T:
    """Run an access check; its refusal becomes an error the client can act on."""
    try:
        return await check
    except DomainError as error:
        raise ClientError.of(error, CODES.get(error.code, error.code)) from None


async def still_member(check: Awaitable[T]) -> T:
    """The access check again, before an event is delivered: a membership can end without
    an event saying so to this stream (removed on another instance, the team gone)."""
    try:
        return await check
    except DomainError:
        raise ClientError(MEMBERSHIP_ENDED, "PERMISSION_DENIED", ClubReason.NOT_A_MEMBER) from None


def membership_ended(user_id: str, topics: Collection[str]) -> Callable[[LiveEvent], bool]:
    """Whether an event ends `user_id`'s membership (one of `topics`, naming them)."""
    return lambda event: event.topic in topics and event.payload.get("userId") == user_id


async def member_bursts(
    info: Info,
    channel: str,
    check: Callable[[], Awaitable[T]],
    ended: Callable[[LiveEvent], bool],
    quiet: float = 0.0,
    missed: Callable[[], Awaitable[list[LiveEvent]]] | None = None,
) -> AsyncIterator[tuple[list[LiveEvent], T]]:
    """A member's events in bursts: what arrived together (or within `quiet` seconds of the
    first), in order, with the member's access as read for that burst (one cheap read per
    burst, with fresh loaders); the last burst ends with the event that ended the
    membership, and a burst finding the membership gone ends the stream with
    PERMISSION_DENIED. With `missed`, what it returns comes first (read once listening has
    started, so nothing falls between); every event comes once, by its id (two instances,
    or a catch-up and then live)."""
    recent = Recent()
    async with listening(info, channel) as listener:
        access = await admitted(check())
        if missed is not None and (
            caught := [e for e in await missed() if recent.first_time(e.event_id)]
        ):
            yield caught, access
        async for message in listener:
            if quiet:
                await asyncio.sleep(quiet)
            burst = [live_event(m) for m in [message, *listener.ready()]]
            burst = [event for event in burst if recent.first_time(event.event_id)]
            if not burst:
                continue
            end = next((n for n, event in enumerate(burst) if ended(event)), None)
            refresh(info)
            if end is not None:
                yield burst[: end + 1], access
                return
            access = await still_member(check())
            yield burst, access
