"""The typed per-request context: who asks, in which language, with fresh loaders."""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

from strawberry.types import Info as StrawberryInfo

from odznaka_graph.i18n import parse_accept_language
from odznaka_graph.services.loaders import Loaders
from odznaka_graph.services.tokens import Viewer

if TYPE_CHECKING:
    from odznaka_graph.services.loaders import Loaders
    from odznaka_graph.services.registry import Services


@dataclass
class Context:
    request: Any
    response: Any
    viewer: Viewer
    services: "Services"
    accept_language: str | None = None
    connection_params: dict[str, Any] | None = None
    session_token: str | None = None  # a WebSocket's bearer token, re-checked per operation
    _languages: list[str] | None = field(default=None, repr=False)
    _loaders: Loaders | None = field(default=None, repr=False)

    @property
    def loaders(self) -> Loaders:
        """The operation's loaders (and visibility service), made on first use: an
        operation that reads nothing makes none."""
        if self._loaders is None:
            self._loaders = Loaders.of(self.services.stores, self.viewer)
        return self._loaders

    def forget_loaders(self) -> None:
        """The next read starts afresh: a new operation, a new event, a new viewer."""
        self._loaders = None

    def languages(self, asked: str | None = None) -> list[str]:
        """The client's languages, best first; an explicit argument wins."""
        if self._languages is None:
            self._languages = parse_accept_language(self.accept_language)
        return [asked, *self._languages] if asked else self._languages


Info: TypeAlias = StrawberryInfo[Context, None]
