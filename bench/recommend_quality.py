"""Offline quality of badge recommendations on a generated world with planted communities.

    uv run python -m bench.recommend_quality [--users 10000] [--holdout 0.2] [--sample 2000]

Generates (once, kept under var/bench-quality-<users>) a world in which each user's later
awards (the `--holdout` share, for users with at least 5) are left out of the stores. Then,
for a sample of those users, asks for 10 badges with the same Cypher the API runs
(graph_model.recommendations) and counts how many of the hidden awards come back, against a
popularity baseline (the 10 most held badges the user does not hold yet). Writes
bench/results/recommendations-quality.json.

hit rate@10: share of users with at least one hidden award among the 10;
precision@10: hidden awards among the 10, divided by 10, averaged over users;
recall@10: hidden awards among the 10, divided by how many were hidden, averaged.
The planted-community reference (the user's own community's badges in catalogue order,
which only the generator knows) shows how much of the answer is knowable at all.
"""

import argparse
import asyncio
import json
import random
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from bench.common import neo4j, percentiles, save
from bench.generate import store_dirs
from bench.generate.__main__ import generate
from bench.generate.population import Population
from bench.generate.world import PUBLISHED_UP_TO, Options, World
from odznaka_graph.graph_model.driver import Graph, open_driver
from odznaka_graph.graph_model.recommendations import Ask, Kind, Recommendation, recommend
from odznaka_graph.services.visibility import path_readers

TOP = 10
HELD = """
UNWIND $ids AS id
MATCH (u:User {id: id})
RETURN id, [(u)-[:EARNED]->(a:Award)-[:OF]->(b:Badge) WHERE a.revokedAt IS NULL | b.id] AS held
"""
POPULAR = """
MATCH (b:PublicBadge) WHERE b.holders > 0
RETURN b.id AS id ORDER BY b.holders DESC LIMIT 500
"""


def hidden_awards(name: str) -> dict[str, set[str]]:
    _, var_dir = store_dirs(name)
    hidden: dict[str, set[str]] = defaultdict(set)
    with (var_dir / "holdout.jsonl").open() as lines:
        for line in lines:
            row = json.loads(line)
            hidden[row["user"]].add(row["badge"])
    return hidden


class Score:
    def __init__(self) -> None:
        self.hits: list[int] = []
        self.recall: list[float] = []

    def add(self, recommended: list[str], hidden: set[str]) -> int:
        found = len(set(recommended[:TOP]) & hidden)
        self.hits.append(found)
        self.recall.append(found / len(hidden))
        return found

    def summary(self) -> dict[str, float]:
        users = max(len(self.hits), 1)
        return {
            "hit_rate_at_10": round(sum(h > 0 for h in self.hits) / users, 4),
            "precision_at_10": round(sum(self.hits) / (users * TOP), 4),
            "recall_at_10": round(statistics.fmean(self.recall) if self.recall else 0.0, 4),
        }


def planted(options: Options) -> Callable[[str, set[str]], list[str]]:
    """The knowable answer: the user's own community's badges they do not hold, in
    catalogue order (the generator's ground truth, which the recommender never sees)."""
    population = Population(World(options))

    def answer(user: str, held: set[str]) -> list[str]:
        community = population.community[int(user.rsplit("-", 1)[1])]
        own = (f"g-b-{community}-{level}" for level in range(PUBLISHED_UP_TO))
        return [badge for badge in own if badge not in held]

    return answer


async def evaluate(
    graph: Graph, options: Options, hidden: dict[str, set[str]], users: list[str], workers: int
) -> dict[str, Any]:
    rows = await graph.read(HELD, ids=users)
    held = {row["id"]: set(row["held"]) for row in rows}
    popular = [row["id"] for row in await graph.read(POPULAR)]
    reference = planted(options)
    ours, baseline, known = Score(), Score(), Score()
    sources: Counter[str] = Counter()
    seconds: list[float] = []
    queue = list(users)

    async def work() -> None:
        while queue:
            user = queue.pop()
            started = time.perf_counter()
            found = await recommend(graph, Kind.BADGE, _ask(user, options))
            seconds.append(time.perf_counter() - started)
            _count_hits(found, hidden[user], sources)
            ours.add([item.item.id for item in found], hidden[user])
            fallback = [b for b in popular if b not in held.get(user, set())]
            baseline.add(fallback, hidden[user])
            known.add(reference(user, held.get(user, set())), hidden[user])

    await recommend(graph, Kind.BADGE, _ask(users[0], options))  # plan the query once
    await asyncio.gather(*(work() for _ in range(workers)))
    return {
        "recommendations": ours.summary(),
        "popularity_baseline": baseline.summary(),
        "planted_community_reference": known.summary(),
        "hits_by_strongest_reason": dict(sources.most_common()),
        "latency": percentiles(seconds),
    }


def _ask(user: str, options: Options) -> Ask:
    readers = path_readers(user)
    return Ask(
        user, options.now, TOP, team_roles=readers.team_roles, staff_roles=readers.staff_roles
    )


def _count_hits(found: list[Recommendation], hidden: set[str], sources: Counter[str]) -> None:
    for item in found:
        if item.item.id in hidden and item.reasons:
            sources[item.reasons[0].code] += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--awards-per-user", type=float, default=10.0)
    parser.add_argument("--holdout", type=float, default=0.2)
    parser.add_argument("--sample", type=int, default=2000, help="users to evaluate")
    parser.add_argument("--workers", type=int, default=2, help="concurrent queries")
    args = parser.parse_args()
    options = Options(args.users, args.seed, args.awards_per_user, args.holdout)
    name = f"quality-{args.users}"
    report = generate(options, name)
    hidden = hidden_awards(name)
    users = sorted(hidden)
    random.Random(args.seed).shuffle(users)
    users = users[: args.sample]
    with neo4j(name) as server:
        graph = Graph(open_driver(server.uri, "neo4j", server.password), "neo4j")

        async def run() -> dict[str, Any]:
            try:
                return await evaluate(graph, options, hidden, users, args.workers)
            finally:
                await graph.close()

        result = asyncio.run(run())
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "world": {
            "users": args.users,
            "seed": args.seed,
            "holdout": args.holdout,
            "awards_loaded": report["rows"]["awards"],
            "awards_held_out": report["rows"]["held_out"],
            "communities": report["sizes"]["communities"],
        },
        "users_evaluated": len(users),
        **result,
    }
    save("recommendations-quality", result)
    ours, base = result["recommendations"], result["popularity_baseline"]
    print(f"{len(users)} users, {args.holdout:.0%} of later awards hidden")
    known = result["planted_community_reference"]
    for label, figures in (
        ("recommendations", ours),
        ("popularity baseline", base),
        ("planted communities", known),
    ):
        print(
            f"{label:20s} hit rate@10 {figures['hit_rate_at_10']:.3f}   "
            f"precision@10 {figures['precision_at_10']:.3f}   "
            f"recall@10 {figures['recall_at_10']:.3f}"
        )


if __name__ == "__main__":
    main()
