"""Achievements: milestones read off the points ledger, so they can always be recomputed.

Each has a target on one measure (credentials earned, challenges completed, the best
weekly streak, the level); it is achieved at the moment the measure first reached the
target, even if a revocation later took the measure back down.
"""

from dataclasses import dataclass
from datetime import datetime

from odznaka_graph.ledger.points import PointEvent
from odznaka_graph.services.points import ACTIVITY, CHALLENGE, EARNED, level_of, next_week, week_of


@dataclass(frozen=True)
class Milestone:
    code: str
    names: dict[str, str]  # language -> name
    target: int
    measure: str


MILESTONES = [
    Milestone(
        "FIRST_CREDENTIAL", {"pl": "Pierwsza odznaka", "en": "First badge"}, 1, "credentials"
    ),
    Milestone("FIVE_CREDENTIALS", {"pl": "Pięć odznak", "en": "Five badges"}, 5, "credentials"),
    Milestone("TEN_CREDENTIALS", {"pl": "Dziesięć odznak", "en": "Ten badges"}, 10, "credentials"),
    Milestone(
        "FIRST_CHALLENGE", {"pl": "Pierwsze wyzwanie", "en": "First challenge"}, 1, "challenges"
    ),
    Milestone("FIVE_CHALLENGES", {"pl": "Pięć wyzwań", "en": "Five challenges"}, 5, "challenges"),
    Milestone(
        "STREAK_4_WEEKS",
        {"pl": "Cztery tygodnie z rzędu", "en": "Four weeks in a row"},
        4,
        "streak",
    ),
    Milestone("LEVEL_5", {"pl": "Poziom 5", "en": "Level 5"}, 5, "level"),
    Milestone("LEVEL_10", {"pl": "Poziom 10", "en": "Level 10"}, 10, "level"),
]


@dataclass(frozen=True)
class Achievement:
    milestone: Milestone
    current: int
    achieved_at: datetime | None


class _Tally:
    """The measures, moved forward one event at a time (events come oldest first)."""

    def __init__(self) -> None:
        self.credentials = self.challenges = self.xp = self.run = self.best = 0
        self.last_week: datetime | None = None

    def add(self, event: PointEvent) -> None:
        self.credentials += event.reason == EARNED
        self.challenges += event.reason == CHALLENGE
        self.xp += event.amount
        if event.reason in ACTIVITY and event.amount > 0:
            week = week_of(event.at)
            if week != self.last_week:
                follows = self.last_week is not None and next_week(self.last_week) == week
                self.run = self.run + 1 if follows else 1
                self.best, self.last_week = max(self.best, self.run), week

    def value(self, measure: str) -> int:
        if measure == "level":
            return level_of(max(self.xp, 0)).number
        return {"credentials": self.credentials, "challenges": self.challenges}.get(
            measure, self.best
        )


def achievements(events: list[PointEvent]) -> list[Achievement]:
    """Every milestone with its current measure and when it was first reached."""
    tally, reached = _Tally(), {}
    for event in events:
        tally.add(event)
        for milestone in MILESTONES:
            if milestone.code not in reached and tally.value(milestone.measure) >= milestone.target:
                reached[milestone.code] = event.at
    return [Achievement(m, tally.value(m.measure), reached.get(m.code)) for m in MILESTONES]
