"""Skills: learning outcome areas."""

import strawberry

from odznaka_graph.graph_model.skills import SkillRecord
from odznaka_graph.ids import to_global
from odznaka_graph.schema.common import (
    NODE_ID,
    Node,
    Translation,
    localized_name,
    translations_of,
)
from odznaka_graph.schema.decorators import field


@strawberry.type(description="A learning outcome area, optionally linked to ESCO.")
class Skill(Node):
    record: strawberry.Private[SkillRecord]

    @field(description=NODE_ID)
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global("Skill", self.record.id))

    name = localized_name("name", "The skill's name in the best matching language.")

    @field(description="The matching ESCO skill's URI, when known.")
    def esco_uri(self) -> str | None:
        return self.record.esco_uri

    @field(description="Every stored translation, for editing.")
    def translations(self) -> list[Translation]:
        return translations_of(self.record.texts)
