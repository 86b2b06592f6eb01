"""The recommendation queries for events, people and clubs (see recommendation_cypher.py
for how they are built and what they never count)."""

from typing import LiteralString

from odznaka_graph.graph_model.clubs import PROJECTION as CLUB_PROJECTION
from odznaka_graph.graph_model.events import PROJECTION as EVENT_PROJECTION
from odznaka_graph.graph_model.recommendation_cypher import (
    GAPS,
    ME,
    ME_SOCIAL,
    SCOPE,
    SOCIAL_SCOPE,
    gap_reason,
    reason,
    section_shown,
    texts,
)

# --- events -------------------------------------------------------------------------------

UPCOMING: LiteralString = "e.startsAt > $now AND e.startsAt < $horizon AND e.visibility = 'PUBLIC'"

# Where the user is: the centre the client sent, else their home place, else the place of
# the on-site event they most recently registered for.
HERE: LiteralString = f"""
WITH {SCOPE}, coalesce(
  CASE WHEN $centre IS NULL THEN null ELSE point($centre) END,
  CASE WHEN me.homeLatitude IS NULL THEN null
       ELSE point({{latitude: me.homeLatitude, longitude: me.homeLongitude}}) END,
  head(COLLECT {{ MATCH (me)-[r:ATTENDS]->(x:Event) WHERE x.location IS NOT NULL
                 RETURN x.location ORDER BY r.registeredAt DESC LIMIT 1 }})) AS here
WITH {SCOPE}, here,
  reduce(acc = [], s IN known | acc + [(s)-[:BROADER]->(d:Skill) | d]) AS areas
"""

# Nearby events teaching something new; more if it is next to what the user knows.
NEARBY: LiteralString = f"""
WITH known, here, areas WHERE here IS NOT NULL
MATCH (e:Event)
WHERE point.distance(e.location, here) <= $radiusKm * 1000.0 AND {UPCOMING}
MATCH (e)-[:TEACHES]->(s:Skill) WHERE NOT s IN known
WITH e, here, s, CASE WHEN s IN areas OR EXISTS {{ (s)-[:BROADER]->(d) WHERE d IN areas }}
  THEN 1.5 ELSE 0.8 END AS fit ORDER BY fit DESC
WITH e, here, head(collect([s, fit])) AS best
WITH e, best[0] AS s, best[1] * (1.0 - point.distance(e.location, here) / ($radiusKm * 1000.0))
  AS weight
RETURN e, {reason("'NEARBY'", "weight", names=f"[{texts('s', 'name')}]")} AS reason
"""

SKILL_GAP_EVENTS: LiteralString = f"""
WITH {SCOPE}
{GAPS}
MATCH (e:Event)-[:TEACHES]->(:Skill)-[:BROADER*0..2]->(g) WHERE {UPCOMING}
WITH DISTINCT e, g, goal
RETURN e, {gap_reason("2.0")} AS reason
"""

HOSTED_BY_MY_ORGANIZATION: LiteralString = f"""
MATCH (me)-[:MEMBER_OF]->(:Team)-[:PART_OF]->(o:Organization)
WITH DISTINCT o
MATCH (o)<-[:HOSTED_BY]-(e:Event) WHERE {UPCOMING}
RETURN e, {reason("'HOSTED_BY_YOUR_ORGANIZATION'", "1.0", names=f"[{texts('o', 'name')}]")}
  AS reason
"""

SOON: LiteralString = f"""
MATCH (e:Event) WHERE {UPCOMING}
WITH e ORDER BY e.startsAt LIMIT 30
RETURN e, {reason("'SOON'", "0.3")} AS reason
"""

EVENTS: LiteralString = f"""
{ME}
{HERE}
CALL ({SCOPE}, here, areas) {{
  {NEARBY}
  UNION ALL
  {SKILL_GAP_EVENTS}
  UNION ALL
  {HOSTED_BY_MY_ORGANIZATION}
  UNION ALL
  {SOON}
}}
WITH me, here, e, collect(reason) AS reasons, sum(reason.score) AS score
WHERE e.endsAt > $now AND NOT EXISTS {{ (me)-[:ATTENDS]->(e) }}
  AND (e.capacity IS NULL OR COUNT {{ (e)<-[:ATTENDS]-() }} < e.capacity)
WITH me, here, e, reasons,
  score * (1.0 - 0.5 * duration.inSeconds($now, e.startsAt).seconds / $horizonSeconds) AS score
ORDER BY score DESC, e.id LIMIT $limit
MATCH (e)-[:HOSTED_BY]->(h)
WITH e, h, score, reasons, CASE WHEN here IS NULL OR e.location IS NULL THEN null
  ELSE point.distance(e.location, here) / 1000.0 END AS distanceKm
RETURN {EVENT_PROJECTION.format(distance="distanceKm")} AS item, score, reasons
"""

# --- people -------------------------------------------------------------------------------

TEAMMATES: LiteralString = f"""
MATCH (me)-[:MEMBER_OF]->(t:Team)
CALL (me, t) {{
  MATCH (t)<-[:MEMBER_OF]-(o:User) WHERE o <> me
  RETURN o LIMIT $groupSample
}}
RETURN o, {
    reason(
        "CASE t.kind WHEN 'CLASS' THEN 'CLASSMATE' ELSE 'TEAMMATE' END",
        "1.5",
        names=f"[{texts('t', 'name')}]",
    )
} AS reason
"""

CLUBMATES: LiteralString = f"""
UNWIND clubs AS c
CALL (me, c) {{
  MATCH (c)<-[:MEMBER_OF]-(o:User) WHERE o <> me
  RETURN o LIMIT $groupSample
}}
WITH o, count(c) AS shared, head(collect(c)) AS c
RETURN o, {
    reason("'SHARED_CLUBS'", "1.0 + 0.5 * (shared - 1)", "shared", names=f"[{texts('c', 'name')}]")
} AS reason
"""

# Whom the people the user follows follow (their following lists are public to whoever sees
# their profile).
FOLLOWED_BY_FOLLOWED: LiteralString = f"""
MATCH (me)-[:FOLLOWS]->(f:User)-[:FOLLOWS]->(o:User)
WHERE o <> me AND {section_shown("f")}
WITH o, count(f) AS people
RETURN o, {reason("'FOLLOWED_BY_FOLLOWED'", "1.2 * people / (people + 1.0)", "people")} AS reason
"""

SIMILAR_SKILLS: LiteralString = f"""
UNWIND valid AS b
MATCH (b)-[:TEACHES]->(s:Skill)
WITH DISTINCT me, blocked, contacts, s
CALL (me, s) {{
  MATCH (s)<-[:TEACHES]-(:Badge)<-[:OF]-(x:Award)<-[:EARNED]-(o:User)
  WHERE o <> me AND x.revokedAt IS NULL
  RETURN DISTINCT o LIMIT $sample
}}
WITH blocked, contacts, o, count(s) AS shared
WHERE shared >= 2 AND {section_shown("o", "skills")}
WITH collect([o, shared]) AS rows, max(shared) AS best
UNWIND rows AS row
WITH row[0] AS o, row[1] AS shared, best
RETURN o, {reason("'SIMILAR_SKILLS'", "1.5 * shared / best", "shared")} AS reason
"""

# services.visibility.can_suggest_person in Cypher: a pupil (issue 15) only for those who
# share a class, team or club with them.
SUGGESTABLE: LiteralString = (
    "NOT coalesce(o.hidden, false) AND "  # hidden by a moderator (issue 15, reports)
    "(o.pupil IS NULL OR NOT o.pupil OR EXISTS { (me)-[:MEMBER_OF]->()<-[:MEMBER_OF]-(o) })"
)

PEOPLE: LiteralString = f"""
{ME_SOCIAL}
CALL ({SOCIAL_SCOPE}) {{
  {TEAMMATES}
  UNION ALL
  {CLUBMATES}
  UNION ALL
  {FOLLOWED_BY_FOLLOWED}
  UNION ALL
  {SIMILAR_SKILLS}
}}
WITH me, blocked, contacts, o, collect(reason) AS reasons, sum(reason.score) AS score
WHERE NOT o IN contacts AND NOT EXISTS {{ (me)-[:FOLLOWS|CONTACT_REQUEST]->(o) }}
  AND {section_shown("o")} AND {SUGGESTABLE}
WITH o, reasons, score ORDER BY score DESC, o.id LIMIT $limit
RETURN o {{.*}} AS item, score, reasons
"""

# --- clubs --------------------------------------------------------------------------------

CONTACTS_IN_CLUBS: LiteralString = f"""
UNWIND contacts AS o
MATCH (o)-[:MEMBER_OF]->(c:Club) WHERE {section_shown("o")}
WITH c, count(DISTINCT o) AS people
RETURN c, {reason("'CONTACTS_MEMBERS'", "2.0 * people / (people + 1.0)", "people")} AS reason
"""

FOLLOWED_IN_CLUBS: LiteralString = f"""
MATCH (me)-[:FOLLOWS]->(o:User)-[:MEMBER_OF]->(c:Club) WHERE {section_shown("o")}
WITH c, count(DISTINCT o) AS people
RETURN c, {reason("'FOLLOWED_MEMBERS'", "1.2 * people / (people + 1.0)", "people")} AS reason
"""

TEAMMATES_IN_CLUBS: LiteralString = f"""
MATCH (me)-[:MEMBER_OF]->(t:Team)
CALL (me, t) {{
  MATCH (t)<-[:MEMBER_OF]-(o:User) WHERE o <> me
  RETURN o LIMIT $groupSample
}}
WITH blocked, contacts, t, o WHERE {section_shown("o")}
MATCH (o)-[:MEMBER_OF]->(c:Club)
WITH c, t, count(DISTINCT o) AS people
RETURN c, {
    reason(
        "CASE t.kind WHEN 'CLASS' THEN 'CLASSMATES_MEMBERS' ELSE 'TEAMMATES_MEMBERS' END",
        "1.5 * people / (people + 1.0)",
        "people",
        names=f"[{texts('t', 'name')}]",
    )
} AS reason
"""

POPULAR_CLUBS: LiteralString = """
MATCH (c:Club) WHERE c.visibility = 'PUBLIC'
WITH c, COUNT { (c)<-[:MEMBER_OF]-() } AS members ORDER BY members DESC LIMIT 30
WITH collect([c, members]) AS top, max(members) AS most
UNWIND top AS row
WITH row[0] AS c, row[1] AS members, most
RETURN c, {code: 'POPULAR_CLUB', score: 0.5 * members / most, count: members, total: null,
  names: []} AS reason
"""

CLUBS: LiteralString = f"""
{ME_SOCIAL}
CALL ({SOCIAL_SCOPE}) {{
  {CONTACTS_IN_CLUBS}
  UNION ALL
  {FOLLOWED_IN_CLUBS}
  UNION ALL
  {TEAMMATES_IN_CLUBS}
  UNION ALL
  {POPULAR_CLUBS}
}}
WITH me, clubs, c, collect(reason) AS reasons, sum(reason.score) AS score
WHERE c.visibility = 'PUBLIC' AND NOT coalesce(c.hidden, false) AND NOT c IN clubs
  AND NOT EXISTS {{ (me)-[:REQUESTED_TO_JOIN]->(c) }}
  AND (c.joinPolicy <> 'INVITE' OR EXISTS {{ (me)-[:INVITED_TO]->(c) }})
WITH c, reasons, score ORDER BY score DESC, c.id LIMIT $limit
RETURN {CLUB_PROJECTION} AS item, score, reasons
"""
