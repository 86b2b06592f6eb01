"""Polish texts of the values put into messages: the actions a role allows ("You may not
{action}."), badge and credential states, kinds of team and their roles, parts of an
imported badge."""

from odznaka_graph.services.permissions import Action

ACTIONS = {
    Action.MANAGE_ORGANIZATION: "zarządzać organizacją",
    Action.EDIT_BADGES: "opisywać odznak organizacji",
    Action.AWARD_BADGES: "przyznawać odznak organizacji",
    Action.REVIEW: "weryfikować wystawców ani odznak",
    Action.MANAGE_CLUB: "zarządzać klubem (nadawać ról członkom)",
    Action.APPROVE_CLUB_MEMBERS: "zatwierdzać próśb o dołączenie do klubu",
    Action.INVITE_TO_CLUB: "zapraszać osób do klubu",
    Action.ACT_IN_CLUB: "oglądać treści tylko dla członków klubu",
    Action.CREATE_PEER_BADGES: "tworzyć odznak koleżeńskich klubu",
    Action.NOMINATE: "nominować członków klubu do odznak koleżeńskich",
    Action.VOUCH: "popierać nominacji w klubie",
    Action.REVOKE_PEER_AWARDS: "unieważniać odznak koleżeńskich klubu",
    Action.MODERATE_CLUB: "usuwać ani blokować członków klubu",
    Action.CREATE_TEAM: "tworzyć zespołów ani klas w organizacji",
    Action.MANAGE_TEAM: "zarządzać zespołem (członkami, kodem klasy, ścieżkami)",
    Action.SEE_TEAM: "oglądać zespołu, jego członków ani jego prywatnych ścieżek",
    Action.SEE_TEAM_PROGRESS: "oglądać postępów zespołu na jego ścieżkach",
    Action.EDIT_ORGANIZATION_PATHS: "tworzyć ani edytować ścieżek rozwoju organizacji",
    Action.SEE_ORGANIZATION_PATHS: "oglądać prywatnych ścieżek rozwoju organizacji",
    Action.CREATE_CHALLENGE: "wyznaczać wyzwań zespołowi",
    Action.GIVE_POINTS: "przyznawać ani korygować punktów uczniom zespołu",
    Action.SEE_TEAM_LEADERBOARDS: "oglądać rankingów zespołów organizacji z zewnątrz",
    Action.SEE_SCHOOL_CLASSES: "oglądać klas szkoły i ich uczniów ani nimi zarządzać",
    Action.UPLOAD_CLUB_IMAGES: "wgrywać obrazów do odznak klubu",
}

PHRASES = {
    **{action.value: text for action, text in ACTIONS.items()},
    # badge states (badge.status.lower())
    "draft": "szkic",
    "submitted": "zgłoszona do weryfikacji",
    "published": "opublikowana",
    "rejected": "odrzucona",
    "archived": "zarchiwizowana",
    # credential states (credential_status(...).lower())
    "revoked": "unieważnione",
    "expired": "wygasłe",
    "pending_claim": "nieodebrane",
    # kinds of team and their roles (teams.py)
    "class": "klasa",
    "business team": "zespół firmowy",
    "STUDENT or TEACHER": "STUDENT lub TEACHER",
    "LEADER or MEMBER": "LEADER lub MEMBER",
    "teacher": "nauczyciel",
    "leader": "lider",
    # an imported badge (sharing/ob2_check.py)
    "badge class": "klasa odznaki",
    "revoked by its issuer (410 Gone)": "unieważniona przez wystawcę (410 Gone)",
    "not found": "nie została znaleziona",
}
