"""The recommendation queries: one Cypher query per kind of recommendation.

Each query finds candidates through several sources (`CALL { ... UNION ALL ... }`), each
source yielding `(candidate, reason)` with reason = {code, score, count, total, names}; then
sums the scores per candidate, drops what the user already has or may not see, and returns
the best `$limit` with everything the API shows of them, so a list costs one round trip.

Sources that reach across many people sample them (`$sample` holders per badge, `$neighbours`
most similar people, `$groupSample` members per team or club), so the cost of a query is
bounded by these numbers and the user's own degree, not by the size of the graph. Sources
whose raw weights have no natural scale are normalised to their best candidate, so that the
fixed weights below decide how sources mix.

Other people's data counts only where the viewer could see it: awards of people whose
awards section is visible to the viewer, skills of people whose skills section is, never
anyone who blocks the viewer or whom the viewer blocks. A path's followers and an event's
attendees are never used (who follows a path or attends an event is private).
"""

from typing import LiteralString

from odznaka_graph.graph_model.paths import PROJECTION as PATH_PROJECTION
from odznaka_graph.graph_model.paths import visible_to
from odznaka_graph.i18n import LANGUAGES


def texts(var: LiteralString, field: LiteralString) -> LiteralString:
    """A map of one multilingual property of `var`, e.g. {pl: p.title_pl, en: ...}."""
    return "{" + ", ".join(f"{lang}: {var}.{field}_{lang}" for lang in LANGUAGES) + "}"


def reason(
    code: LiteralString,
    score: LiteralString,
    count: LiteralString = "null",
    total: LiteralString = "null",
    names: LiteralString = "[]",
) -> LiteralString:
    return f"{{code: {code}, score: {score}, count: {count}, total: {total}, names: {names}}}"


VALID: LiteralString = "a.revokedAt IS NULL AND (a.expiresAt IS NULL OR a.expiresAt > $now)"
PATH_VISIBLE: LiteralString = visible_to("$userId")

# Read once at the top of every query, so that the sources below test list membership
# instead of each running its own subqueries (which also keeps planning time down):
#   valid     badges the user holds through a valid award
#   held      badges the user holds at all (valid or expired, not revoked): never recommended
#   known     skills those teach, with every broader skill
#   followed  paths the user follows and may still see
#   blocked   people the user blocks or is blocked by
#   contacts  the user's contacts
#   clubs     the user's clubs
SOCIAL: LiteralString = """
  COLLECT { MATCH (me)-[:BLOCKS]-(x:User) RETURN x } AS blocked,
  COLLECT { MATCH (me)-[:CONTACT]-(x:User) RETURN x } AS contacts,
  COLLECT { MATCH (me)-[:MEMBER_OF]->(c:Club) RETURN c } AS clubs"""
ME: LiteralString = f"""
MATCH (me:User {{id: $userId}})
WITH me,
  COLLECT {{ MATCH (me)-[:EARNED]->(a:Award)-[:OF]->(b:Badge) WHERE {VALID} RETURN b }} AS valid,
  COLLECT {{ MATCH (me)-[:EARNED]->(a:Award)-[:OF]->(b:Badge) WHERE a.revokedAt IS NULL
            RETURN b }} AS held,
  COLLECT {{ MATCH (me)-[:FOLLOWS_PATH]->(p:Path) WHERE {PATH_VISIBLE} RETURN p }} AS followed,
  {SOCIAL}
WITH me, valid, held, followed, blocked, contacts, clubs, COLLECT {{
  UNWIND valid AS b
  MATCH (b)-[:TEACHES]->(:Skill)-[:BROADER*0..3]->(s:Skill)
  RETURN DISTINCT s }} AS known
"""
SCOPE: LiteralString = "me, valid, held, followed, blocked, contacts, clubs, known"

# The same for people and clubs, which need less.
ME_SOCIAL: LiteralString = f"""
MATCH (me:User {{id: $userId}})
WITH me,
  COLLECT {{ MATCH (me)-[:EARNED]->(a:Award)-[:OF]->(b:Badge) WHERE {VALID} RETURN b }} AS valid,
  {SOCIAL}
"""
SOCIAL_SCOPE: LiteralString = "me, valid, blocked, contacts, clubs"

# A badge one holds (valid or expired, not revoked) is never recommended again.
HOLDS: LiteralString = "b IN held"


def _levels(other: LiteralString, section: LiteralString | None) -> LiteralString:
    own = f"coalesce({other}.{section}Visibility, 'PUBLIC')" if section else "'PUBLIC'"
    # A pupil under 16 without a guardian's consent is at most CONTACTS (profile_level).
    guarded = f"CASE WHEN {other}.minorProtected THEN 'CONTACTS' ELSE 'PUBLIC' END"
    return f"[coalesce({other}.visibility, 'PUBLIC'), {own}, {guarded}]"


def section_shown(other: LiteralString, section: LiteralString | None = None) -> LiteralString:
    """Whether `me` sees `other`'s profile (or a section of it, never more than the
    profile): services.visibility.can_see_profile / section_level, in Cypher. Nobody is
    there for the user across a block, either way."""
    levels = _levels(other, section)
    return f"""(NOT {other} IN blocked AND CASE
  WHEN 'PRIVATE' IN {levels} THEN false
  WHEN 'CONTACTS' IN {levels} THEN {other} IN contacts
  ELSE true END)"""


# Skills the user needs and does not know yet: those of the paths they follow (with the
# path), and the skills they asked about ($skillIds, without a path).
GAPS: LiteralString = f"""
CALL (followed) {{
  UNWIND followed AS p
  MATCH (p)-[:STEP]->(:Badge)-[:TEACHES]->(g:Skill)
  RETURN g, {texts("p", "title")} AS goal
  UNION
  MATCH (g:Skill) WHERE g.id IN $skillIds
  RETURN g, null AS goal
}}
WITH {SCOPE}, g, head(collect(goal)) AS goal
WHERE NOT g IN known
"""


def gap_reason(weight: LiteralString) -> LiteralString:
    return reason(
        "CASE WHEN goal IS NULL THEN 'CHOSEN_SKILL' ELSE 'SKILL_GAP' END",
        weight,
        names=f"[{texts('g', 'name')}] + CASE WHEN goal IS NULL THEN [] ELSE [goal] END",
    )


# --- badges -------------------------------------------------------------------------------

# The next steps of followed paths, by the rules of services/path_progress: not done, every
# prerequisite done, and either required or in an elective group still short of its minimum.
PATH_NEXT: LiteralString = f"""
UNWIND followed AS p
WITH p, [(p)-[s:STEP]->(x:Badge) WHERE x IN valid | s.key] AS done
MATCH (p)-[s:STEP]->(b:Badge)
WHERE NOT s.key IN done AND all(k IN coalesce(s.prerequisites, []) WHERE k IN done)
  AND (s.required OR (s.group IS NOT NULL
    AND size([(p)-[t:STEP]->() WHERE t.group = s.group AND t.key IN done | t])
      < head([i IN range(0, size(coalesce(p.groupKeys, [])) - 1) WHERE p.groupKeys[i] = s.group
              | p.groupMinimums[i]])))
RETURN b, {reason("'PATH_NEXT'", "3.0", names=f"[{texts('p', 'title')}]")} AS reason
"""

SKILL_GAP_BADGES: LiteralString = f"""
{GAPS}
CALL (g) {{
  MATCH (b:Badge)-[:TEACHES]->(:Skill)-[:BROADER*0..2]->(g) WHERE b.status = 'PUBLISHED'
  RETURN DISTINCT b ORDER BY coalesce(b.holders, 0) DESC LIMIT 20
}}
WITH b, g, goal, held WHERE NOT {HOLDS}
RETURN b, {gap_reason("1.0")} AS reason
"""

# "People who earned what you earned went on to earn": the people sharing the most (and the
# rarest) of the user's credentials, then what they earned after the first of those, each
# damped by the log of its holder count so that what everybody has does not drown the rest.
# Squaring the similarity lets the closest people count most.
CO_EARNED: LiteralString = f"""
MATCH (me)-[:EARNED]->(mine:Award)-[:OF]->(m:Badge) WHERE mine.revokedAt IS NULL
WITH me, held, blocked, contacts, m, 1.0 / log(2.0 + coalesce(m.holders, 0)) AS rarity
CALL (me, m) {{
  MATCH (m)<-[:OF]-(x:Award)<-[:EARNED]-(o:User) WHERE o <> me AND x.revokedAt IS NULL
  RETURN o, x.issuedAt AS at LIMIT $sample
}}
WITH held, blocked, contacts, o, m, at, rarity ORDER BY rarity DESC
WITH held, blocked, contacts, o, sum(rarity) AS similarity, head(collect(m)) AS via,
  min(at) AS since
WHERE {section_shown("o", "awards")}
WITH held, o, similarity, via, since ORDER BY similarity DESC LIMIT $neighbours
MATCH (o)-[:EARNED]->(y:Award)-[:OF]->(b:Badge)
WHERE y.revokedAt IS NULL AND y.issuedAt > since AND NOT {HOLDS}
WITH b, via, sum(similarity * similarity) AS weight, count(o) AS people ORDER BY people DESC
WITH b, sum(weight) / log(2.0 + coalesce(b.holders, 0)) AS weight,
  head(collect([people, via])) AS top
WITH collect([b, weight, top]) AS rows, max(weight) AS best
UNWIND rows AS row
WITH row[0] AS b, row[1] / best AS share, row[2][0] AS people, row[2][1] AS via
RETURN b, {reason("'CO_EARNED'", "2.0 * share", "people", names=f"[{texts('via', 'name')}]")}
  AS reason
"""

GROUP_POPULAR: LiteralString = f"""
MATCH (me)-[:MEMBER_OF]->(g) WHERE g:Team OR g:Club
CALL (me, g) {{
  MATCH (g)<-[:MEMBER_OF]-(o:User) WHERE o <> me
  RETURN o LIMIT $groupSample
}}
WITH held, blocked, contacts, g, o WHERE {section_shown("o", "awards")}
MATCH (o)-[:EARNED]->(y:Award)-[:OF]->(b:Badge)
WHERE y.revokedAt IS NULL AND NOT {HOLDS}
WITH g, b, count(o) AS people
WITH collect([g, b, people, people / log(2.0 + coalesce(b.holders, 0))]) AS rows,
     max(people / log(2.0 + coalesce(b.holders, 0))) AS best
UNWIND rows AS row
WITH row[0] AS g, row[1] AS b, row[2] AS people, row[3] / best AS share
RETURN b, {
    reason(
        "CASE WHEN g:Club THEN 'CLUB_POPULAR' WHEN g.kind = 'CLASS' THEN 'CLASS_POPULAR' "
        "ELSE 'TEAM_POPULAR' END",
        "0.4 * share",
        "people",
        names=f"[{texts('g', 'name')}]",
    )
} AS reason
"""

POPULAR_BADGES: LiteralString = f"""
MATCH (b:PublicBadge) WHERE b.holders > 0 AND NOT {HOLDS}
WITH b ORDER BY b.holders DESC LIMIT 50
WITH collect(b) AS top, max(b.holders) AS most
UNWIND top AS b
RETURN b, {reason("'POPULAR'", "0.2 * b.holders / most", "b.holders")} AS reason
"""

# Published, and public, or a peer badge of one of the user's clubs; never one they hold.
BADGE_SHOWN: LiteralString = f"""b.status = 'PUBLISHED' AND NOT {HOLDS}
  AND NOT coalesce(b.hidden, false) AND CASE
  WHEN b.clubId IS NULL THEN b.visibility = 'PUBLIC'
  ELSE b.clubId IN [c IN clubs | c.id] END"""

BADGES: LiteralString = f"""
{ME}
CALL ({SCOPE}) {{
  {PATH_NEXT}
  UNION ALL
  {SKILL_GAP_BADGES}
  UNION ALL
  {CO_EARNED}
  UNION ALL
  {GROUP_POPULAR}
  UNION ALL
  {POPULAR_BADGES}
}}
WITH held, clubs, b, collect(reason) AS reasons, sum(reason.score) AS score
WHERE {BADGE_SHOWN}
WITH b, reasons, score ORDER BY score DESC, b.id LIMIT $limit
OPTIONAL MATCH (b)-[:ISSUED_BY]->(o:Organization)
RETURN b {{.*, organizationId: o.id}} AS item, score, reasons
"""

# --- paths --------------------------------------------------------------------------------

PATH_STARTED: LiteralString = f"""
UNWIND valid AS x
MATCH (x)<-[:STEP]-(p:Path)
WITH p, count(DISTINCT x) AS done
RETURN p, {reason("'PATH_STARTED'", "1.0 + 0.5 * done", "done", "COUNT { (p)-[:STEP]->() }")}
  AS reason
"""

TEAM_PATHS: LiteralString = f"""
MATCH (me)-[:MEMBER_OF]->(t:Team)<-[:FOR_TEAM]-(p:Path)
RETURN p, {
    reason(
        "CASE t.kind WHEN 'CLASS' THEN 'CLASS_PATH' ELSE 'TEAM_PATH' END",
        "2.5",
        names=f"[{texts('t', 'name')}]",
    )
} AS reason
"""

SKILL_GAP_PATHS: LiteralString = f"""
{GAPS}
MATCH (p:Path)-[:STEP]->(:Badge)-[:TEACHES]->(:Skill)-[:BROADER*0..2]->(g)
WITH DISTINCT p, g, goal
RETURN p, {gap_reason("1.0")} AS reason
"""

POPULAR_PATHS: LiteralString = """
MATCH (p:Path) WHERE p.visibility = 'PUBLIC'
WITH p, COUNT { (p)<-[:FOLLOWS_PATH]-() } AS followers
WHERE followers > 0
WITH p, followers ORDER BY followers DESC LIMIT 30
WITH collect([p, followers]) AS top, max(followers) AS most
UNWIND top AS row
WITH row[0] AS p, row[1] AS followers, most
RETURN p, {code: 'POPULAR_PATH', score: 0.5 * followers / most, count: followers,
  total: null, names: []} AS reason
"""

# Finished by the rules of services/path_progress: every required step done, and every
# elective group at its minimum. Nothing is left to recommend on such a path.
FINISHED: LiteralString = """
(all(x IN [(p)-[s:STEP]->(b:Badge) WHERE s.required | b] WHERE x IN valid)
  AND all(i IN range(0, size(coalesce(p.groupKeys, [])) - 1)
    WHERE size([(p)-[s:STEP]->(b:Badge) WHERE s.group = p.groupKeys[i] AND b IN valid | b])
      >= p.groupMinimums[i]))"""

PATHS: LiteralString = f"""
{ME}
CALL ({SCOPE}) {{
  {PATH_STARTED}
  UNION ALL
  {TEAM_PATHS}
  UNION ALL
  {SKILL_GAP_PATHS}
  UNION ALL
  {POPULAR_PATHS}
}}
WITH me, valid, held, followed, p, collect(reason) AS reasons, sum(reason.score) AS score
WHERE NOT p IN followed AND {PATH_VISIBLE} AND NOT {FINISHED}
  AND NOT EXISTS {{ (p)-[:GRANTS]->(c:Badge) WHERE c IN held }}
WITH p, reasons, score ORDER BY score DESC, p.id LIMIT $limit
MATCH (p)-[:OWNED_BY]->(o:Organization)
RETURN {PATH_PROJECTION} AS item, score, reasons
"""
