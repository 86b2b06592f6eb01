"""Words on certificates and public pages, in Polish and English."""

from collections.abc import Sequence

from odznaka_graph.i18n import parse_accept_language

PAGE_LANGUAGES = ("pl", "en")

LABELS: dict[str, dict[str, str]] = {
    "pl": {
        "certificate": "Certyfikat",
        "certifies": "Niniejszym poświadcza się, że",
        "earned": "uzyskał(a) mikropoświadczenie",
        "issuer": "Wydawca",
        "issued": "Data wydania",
        "valid_until": "Ważne do",
        "no_expiry": "bezterminowo",
        "outcomes": "Efekty uczenia się",
        "workload": "Nakład pracy",
        "hours": "godz.",
        "form": "Forma",
        "eqf": "Poziom ERK/PRK",
        "credential_id": "Identyfikator poświadczenia",
        "verify_at": "Sprawdź autentyczność",
        "wallet": "Dodaj do portfela (mObywatel, EUDI)",
        "wallet_hint": "Zeskanuj kod portfelem i wpisz kod transakcji pokazany w aplikacji "
        "Odznaka+. Oferta jest jednorazowa i wkrótce wygasa.",
        "status": "Status",
        "holder": "Posiadacz",
        "badge": "Odznaka",
        "dates": "Daty",
        "downloads": "Pobierz i udostępnij",
        "pdf": "Certyfikat PDF",
        "ob2_json": "Open Badges 2.0 (JSON)",
        "baked_png": "Odznaka z danymi (PNG)",
        "linkedin": "Dodaj do profilu LinkedIn",
        "credentials": "Poświadczenia",
        "featured": "Wyróżnione",
        "external": "Poświadczenia z innych platform",
        "no_credentials": "Brak poświadczeń do pokazania.",
        "not_found": "Nie znaleziono",
        "not_found_text": "Tej strony nie ma albo jej właściciel nie udostępnia jej publicznie.",
        "skip": "Przejdź do treści",
        "verified_by": "Weryfikacja",
        "profile_of": "Profil",
        "revoked": "Unieważnione",
        "site": "Odznaka+",
        "ONLINE": "online",
        "ON_SITE": "stacjonarnie",
        "HYBRID": "hybrydowo",
        "AUTHENTIC_VALID": "Autentyczne i ważne",
        "EXPIRED": "Wygasło",
        "REVOKED": "Unieważnione",
        "PENDING_CLAIM": "Oczekuje na odebranie",
        "UNKNOWN": "Nieznane",
        "VERIFIED": "Zweryfikowane",
        "UNVERIFIED": "Niezweryfikowane",
        "UNREACHABLE": "Nie udało się sprawdzić",
        "NOT_RECIPIENT": "Inny odbiorca",
        "INVALID": "Nieprawidłowe",
    },
    "en": {
        "certificate": "Certificate",
        "certifies": "This certifies that",
        "earned": "has earned the microcredential",
        "issuer": "Issuer",
        "issued": "Issued on",
        "valid_until": "Valid until",
        "no_expiry": "no expiry",
        "outcomes": "Learning outcomes",
        "workload": "Workload",
        "hours": "hours",
        "form": "Form",
        "eqf": "EQF/PQF level",
        "credential_id": "Credential ID",
        "verify_at": "Verify it at",
        "wallet": "Add to your wallet (mObywatel, EUDI)",
        "wallet_hint": "Scan the code with your wallet and enter the transaction code the "
        "Odznaka+ app shows. The offer is single use and expires soon.",
        "status": "Status",
        "holder": "Holder",
        "badge": "Badge",
        "dates": "Dates",
        "downloads": "Download and share",
        "pdf": "PDF certificate",
        "ob2_json": "Open Badges 2.0 (JSON)",
        "baked_png": "Baked badge (PNG)",
        "linkedin": "Add to LinkedIn profile",
        "credentials": "Credentials",
        "featured": "Featured",
        "external": "Credentials from other platforms",
        "no_credentials": "No credentials to show.",
        "not_found": "Not found",
        "not_found_text": "This page does not exist, or its owner does not share it publicly.",
        "skip": "Skip to content",
        "verified_by": "Verification",
        "profile_of": "Profile",
        "revoked": "Revoked",
        "site": "Odznaka+",
        "ONLINE": "online",
        "ON_SITE": "on site",
        "HYBRID": "hybrid",
        "AUTHENTIC_VALID": "Authentic and valid",
        "EXPIRED": "Expired",
        "REVOKED": "Revoked",
        "PENDING_CLAIM": "Waiting to be claimed",
        "UNKNOWN": "Unknown",
        "VERIFIED": "Verified",
        "UNVERIFIED": "Not verified",
        "UNREACHABLE": "Could not be checked",
        "NOT_RECIPIENT": "Someone else's",
        "INVALID": "Invalid",
    },
}


def page_language(asked: str | None, accept_language: str | None) -> str:
    """`?lang=` first, then the browser's Accept-Language, else Polish."""
    for lang in (asked, *parse_accept_language(accept_language)):
        if lang in PAGE_LANGUAGES:
            return lang
    return "pl"


def preferred(lang: str) -> Sequence[str]:
    """The order in which stored texts are picked for a page in `lang`."""
    return [lang, *(other for other in PAGE_LANGUAGES if other != lang)]
