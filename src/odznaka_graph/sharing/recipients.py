"""Whether a badge's recipient identity is one of the importing user's verified e-mails."""

import hashlib
import hmac
from collections.abc import Sequence

from odznaka_graph.sharing.findings import Findings

ALGORITHMS = {"sha256": hashlib.sha256, "md5": hashlib.md5}
ISSUED_TO_YOU = "It was issued to one of your verified e-mail addresses."
NOT_YOURS = "Its recipient is none of your verified e-mail addresses."
NO_EMAILS = "You have no verified e-mail address to compare its recipient with."


def identity_matches(identity: str, hashed: bool, salt: str, email: str) -> bool:
    if not hashed:
        return identity.strip().lower() == email
    algorithm, _, digest = identity.partition("$")
    make = ALGORITHMS.get(algorithm.lower())
    if make is None:
        return False
    candidates = {email, email.lower()}
    return any(
        hmac.compare_digest(make((candidate + salt).encode()).hexdigest(), digest.lower())
        for candidate in candidates
    )


def check_recipient(
    found: Findings,
    kind: str,
    identity: str,
    hashed: bool,
    salt: str,
    emails: Sequence[str],
) -> None:
    if kind.lower() not in ("email", "emailaddress"):
        found.problem(
            "UNVERIFIED",
            f"Its recipient is identified by {kind}, which cannot be matched to your account.",
        )
    elif not emails:
        found.problem("NOT_RECIPIENT", NO_EMAILS)
    elif any(identity_matches(identity, hashed, salt, email) for email in emails):
        found.ok(ISSUED_TO_YOU)
    else:
        found.problem("NOT_RECIPIENT", NOT_YOURS)
