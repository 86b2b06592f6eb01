"""Fetching other issuers' DID documents, status lists and contexts, and nothing else,
through the outbound rules (a pasted document must not make us call our own network)."""

from odznaka_graph import outbound


class FetchError(Exception):
    """Why a URL was not fetched or gave no usable answer (safe to show)."""


class Fetcher:
    def __init__(
        self,
        allow_loopback: bool = False,
        timeout: float = 5.0,
        max_bytes: int = 2_000_000,
        resolve: outbound.Resolve | None = None,
    ) -> None:
        self.policy = outbound.Policy(allow_loopback, resolve or outbound.system_resolve)
        self.timeout = timeout
        self.max_bytes = max_bytes

    async def get(self, url: str) -> str:
        try:
            answer = await outbound.fetch(
                url, self.policy, accept=_ACCEPT, seconds=self.timeout, max_bytes=self.max_bytes
            )
        except outbound.Refused as refused:
            raise FetchError(str(refused).removesuffix(".")) from None
        if answer.status != 200:
            raise FetchError(f"{url} answered HTTP {answer.status}")
        return answer.body.decode("utf-8", errors="replace")


_ACCEPT = "application/did+json, application/ld+json, application/json, */*;q=0.5"
