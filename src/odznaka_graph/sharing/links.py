"""The public addresses of everything this package serves, from PUBLIC_BASE_URL."""

from dataclasses import dataclass
from urllib.parse import urlencode


@dataclass(frozen=True)
class Links:
    base: str

    @classmethod
    def of(cls, base_url: str) -> "Links":
        return cls(base_url.rstrip("/"))

    def assertion(self, award_id: str) -> str:
        return f"{self.base}/ob2/assertions/{award_id}"

    def baked_png(self, award_id: str) -> str:
        return f"{self.assertion(award_id)}.png"

    def baked_svg(self, award_id: str) -> str:
        return f"{self.assertion(award_id)}.svg"

    def badge(self, badge_id: str) -> str:
        return f"{self.base}/ob2/badges/{badge_id}"

    def badge_image(self, badge_id: str) -> str:
        return f"{self.badge(badge_id)}/image.png"

    def issuer(self, issuer_id: str) -> str:
        return f"{self.base}/ob2/issuers/{issuer_id}"

    def credential_page(self, award_id: str) -> str:
        return f"{self.base}/credentials/{award_id}"

    def certificate(self, award_id: str, lang: str | None = None) -> str:
        query = f"?{urlencode({'lang': lang})}" if lang else ""
        return f"{self.base}/awards/{award_id}/certificate.pdf{query}"

    def profile_page(self, handle: str) -> str:
        return f"{self.base}/u/{handle}"
