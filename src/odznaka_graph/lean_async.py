"""Small stand-ins for asyncio.Queue and asyncio.Event for objects held once per open
socket: asyncio's allocate a deque (over half a KiB) per waiter list and per queue, which
ten thousand idle subscriptions multiply. One consumer each; not thread-safe."""

import asyncio
from typing import Generic, TypeVar

T = TypeVar("T")


class Mailbox(Generic[T]):
    """An unbounded queue for one consumer: a list, and a future only while it waits."""

    __slots__ = ("_items", "_waiter")

    def __init__(self) -> None:
        self._items: list[T] = []
        self._waiter: asyncio.Future[None] | None = None

    def __len__(self) -> int:
        return len(self._items)

    def empty(self) -> bool:
        return not self._items

    def put_nowait(self, item: T) -> None:
        self._items.append(item)
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def take_all(self) -> list[T]:
        taken, self._items = self._items, []
        return taken

    async def get(self) -> T:
        while not self._items:
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        return self._items.pop(0)


class Gate:
    """asyncio.Event's set, clear and wait; whoever waits shares one future."""

    __slots__ = ("_open", "_waiter")

    def __init__(self) -> None:
        self._open = False
        self._waiter: asyncio.Future[None] | None = None

    def is_set(self) -> bool:
        return self._open

    def set(self) -> None:
        self._open = True
        if self._waiter is not None:
            if not self._waiter.done():
                self._waiter.set_result(None)
            self._waiter = None

    def clear(self) -> None:
        self._open = False

    async def wait(self) -> None:
        if self._open:
            return
        if self._waiter is None:
            self._waiter = asyncio.get_running_loop().create_future()
        await asyncio.shield(self._waiter)
