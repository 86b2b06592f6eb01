"""The planner's tests: one request sent both ways, planned and to the executor (the
`unplanned` fixture, conftest.py); the planned answer must equal the executor's."""

from typing import Any

from tests.helpers import Api, Person


async def both(
    api: Api, unplanned: Api, query: str, variables: dict[str, Any], who: Person | None = None
) -> Any:
    token = who.token if who else None
    planned = (await api.raw(query, variables, token, {"Accept-Language": "en"})).json()
    executed = (await unplanned.raw(query, variables, token, {"Accept-Language": "en"})).json()
    assert planned == executed
    return planned
