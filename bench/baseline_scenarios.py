"""What bench/baseline.py asks the API: four GraphQL documents, and who asks them.

Subjects are picked from the generated graph: a "large" one (a user with ~50 credentials, a
class of 25, a common search word) and a "small" one (a user with a few credentials, a team
of 10, a rare word), so the round trips of the two can be compared: they must be equal.
"""

from dataclasses import dataclass, field
from typing import Any

from neo4j import Driver

from odznaka_graph.ids import to_global

PROFILE = """query Profile {
  me {
    id handle displayName bio visibility
    awards(first: 50) {
      totalCount
      edges { node { id issuedAt status
        badge { id name imageUrl eqfLevel issuer { id name } } } }
    }
    skills {
      level credentialCount maxEqfLevel
      skill { id name }
      credentials { id }
    }
    followedPaths(first: 10) {
      edges { node { id title
        viewerProgress { percent finished
          nextSteps { key badge { id name } }
          completedSteps { key } } } }
    }
  }
}"""

SEARCH = """query Search($filter: BadgeFilter) {
  badges(filter: $filter, first: 20) {
    totalCount
    edges { node { id name eqfLevel workloadHours issuer { id name } } }
  }
}"""

LEADERBOARD = """query Board($teamId: ID!) {
  leaderboard(teamId: $teamId, window: TERM) {
    window since
    entries(first: 25) { totalCount edges { node { rank score handle displayName } } }
    viewerEntry { rank score }
  }
}"""

RECOMMENDATIONS = """query Recommend {
  me {
    recommendations(kind: BADGE, first: 10) {
      score reason
      reasons { source weight count }
      node { ... on Badge { id name issuer { id name } } }
    }
  }
}"""

# Users with many / few valid credentials who follow a path and show their profile.
USERS = """
MATCH (u:User)
WHERE u.visibility = 'PUBLIC' AND EXISTS { (u)-[:FOLLOWS_PATH]->(:Path) }
WITH u, COUNT { (u)-[:EARNED]->(a:Award) WHERE a.revokedAt IS NULL } AS n
WHERE n >= $low AND n <= $high
RETURN u.id AS id, n ORDER BY n DESC, u.id LIMIT $limit
"""

# Classes (25) and business teams (10) with a member to ask as.
TEAMS = """
MATCH (t:Team {id: $team})<-[m:MEMBER_OF]-(u:User)
WITH t, u ORDER BY u.id
WITH t, collect(u.id) AS members
RETURN t.id AS id, members
"""


@dataclass
class Subject:
    """One request: the document, its variables, and who asks it (a user id or nobody)."""

    query: str
    variables: dict[str, Any] = field(default_factory=dict)
    user: str | None = None
    note: str = ""


@dataclass
class Scenario:
    name: str
    large: list[Subject]  # what the load runs, round-robin
    small: Subject  # the same request with a short list, for the round-trip comparison


def users(driver: Driver, low: int, high: int, limit: int) -> list[tuple[str, int]]:
    records, _, _ = driver.execute_query(USERS, low=low, high=high, limit=limit)
    return [(r["id"], r["n"]) for r in records]


def team(driver: Driver, team_id: str) -> list[str]:
    records, _, _ = driver.execute_query(TEAMS, team=team_id)
    return list(records[0]["members"]) if records else []


def scenarios(driver: Driver, sizes: dict[str, int]) -> list[Scenario]:
    many = users(driver, 45, 60, 8) or users(driver, 30, 60, 8)
    few = users(driver, 2, 4, 1)
    if not many or not few:
        raise SystemExit("no users with many (or few) credentials in this graph")
    first_team = sizes["classes"]  # business teams come after the classes
    classes = [team(driver, f"g-team-{t}") for t in range(0, min(8, sizes["classes"]))]
    business = team(driver, f"g-team-{first_team}")
    few_note = f"{few[0][1]} credentials"
    return [
        Scenario(
            "profile",
            [Subject(PROFILE, {}, u, f"{n} credentials") for u, n in many],
            Subject(PROFILE, {}, few[0][0], few_note),
        ),
        Scenario(
            "catalogue_search",
            [
                Subject(SEARCH, {"filter": {"text": text, "cost": "FREE"}}, None, text)
                for text in ("programowanie", "analiza danych", "project management", "kurs")
            ],
            Subject(SEARCH, {"filter": {"text": "phishingu", "cost": "FREE"}}, None, "rare"),
        ),
        Scenario(
            "class_leaderboard",
            [
                Subject(LEADERBOARD, {"teamId": to_global("Team", f"g-team-{t}")}, m[1], "class")
                for t, m in enumerate(classes)
                if len(m) > 1
            ],
            Subject(
                LEADERBOARD,
                {"teamId": to_global("Team", f"g-team-{first_team}")},
                business[1],
                f"team of {len(business)}",
            ),
        ),
        Scenario(
            "recommendations",
            [Subject(RECOMMENDATIONS, {}, u, f"{n} credentials") for u, n in many],
            Subject(RECOMMENDATIONS, {}, few[0][0], few_note),
        ),
    ]
