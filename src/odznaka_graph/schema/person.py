"""The person row: a user named on a list row (a member, an attendee, a learner on a
leaderboard, someone asking to join), declared once.

A row type inherits `PersonRow` and names the person in its own words:

    class TeamMember(PersonRow, who="member", profile="The member's profile, ..."):
        def person(self) -> PersonFacts: return self.record

which gives it `userId`, `handle`, `displayName` ("The member's handle.") and, with
`profile`, a `user` field: the profile when the viewer may see it (the one visibility
service decides). `names=False` leaves out `handle` and `displayName` (rows that carry
only the id); they come before the type's own fields, or after them with `last=True`.
"""

from typing import Any, Protocol

import strawberry
from strawberry.types.field import StrawberryField

from odznaka_graph.context import Info
from odznaka_graph.ids import to_global
from odznaka_graph.schema.accounts import User


class PersonFacts(Protocol):
    """What a row knows of its person (records read with the row)."""

    @property
    def user_id(self) -> str: ...

    @property
    def handle(self) -> str: ...

    @property
    def display_name(self) -> str: ...


async def visible_user(info: Info, user_id: str | None) -> User | None:
    """The profile, when the viewer may see it."""
    if user_id is None:
        return None
    record = await info.context.loaders.visibility.user(user_id)
    return User(record=record) if record is not None else None


def _user_id(root: "PersonRow") -> strawberry.ID:
    return strawberry.ID(to_global("User", root.person().user_id))


def _handle(root: "PersonRow") -> str:
    return root.person().handle


def _display_name(root: "PersonRow") -> str:
    return root.person().display_name


async def _user(root: "PersonRow", info: Info) -> User | None:
    return await visible_user(info, root.person().user_id)


class PersonRow:
    """Mixin of the person-row fields (see the module's docstring)."""

    def person(self) -> PersonFacts:
        raise NotImplementedError

    def __init_subclass__(
        cls,
        who: str | None = None,
        *,
        user_id: str | None = None,
        names: bool = True,
        profile: str | None = None,
        last: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init_subclass__(**kwargs)
        own = [(k, v) for k, v in vars(cls).items() if isinstance(v, StrawberryField)]
        fields: dict[str, Any] = {}
        if user_id is not None or names:
            text = user_id or (f"The {who}'s user id." if who else None)
            fields["user_id"] = strawberry.field(resolver=_user_id, description=text)
        if names:
            fields["handle"] = strawberry.field(
                resolver=_handle, description=f"The {who}'s handle." if who else None
            )
            fields["display_name"] = strawberry.field(
                resolver=_display_name, description=f"The {who}'s display name." if who else None
            )
        if profile is not None:
            fields["user"] = strawberry.field(resolver=_user, description=profile)
        for name, value in fields.items():
            setattr(cls, name, value)
        if not last:  # the person's fields first: the type's own ones move after them
            for name, value in own:
                delattr(cls, name)
                setattr(cls, name, value)
