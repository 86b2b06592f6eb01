"""Catalogue search on the demo data: Polish and English text, combined filters, facets,
sorts, and paging through filtered results, all without signing in."""

from typing import Any

from tests.demo_snapshot import demo_world
from tests.helpers import Api

SEARCH = """
query($filter: BadgeFilter, $sort: BadgeSort, $first: Int, $after: String) {
  badges(filter: $filter, sort: $sort, first: $first, after: $after) {
    totalCount
    edges { cursor node { name(lang: PL) en: name(lang: EN) workloadHours eqfLevel form } }
    pageInfo { hasNextPage endCursor }
  }
}"""
FACETS = """query($filter: BadgeFilter) { badges(filter: $filter, first: 0) {
  totalCount facets { tags { value count } forms { value count } eqfLevels { value count }
  costs { value count } } } }"""


async def _search(api: Api, **variables: Any) -> dict[str, Any]:
    return (await api.query(SEARCH, variables))["badges"]  # type: ignore[no-any-return]


def _names(result: dict[str, Any]) -> list[str]:
    return [edge["node"]["name"] for edge in result["edges"]]


async def test_full_text_in_polish_and_english(api: Api) -> None:
    await demo_world(api.runtime)
    # Inflected Polish, with and without diacritics, finds the same badges.
    inflected = await _search(api, filter={"text": "zarządzania ryzykiem"})
    folded = await _search(api, filter={"text": "zarzadzanie ryzyko"})
    assert "Zarządzanie ryzykiem w projekcie – warsztat symulacyjny" in _names(inflected)
    assert _names(inflected) == _names(folded)
    english = await _search(api, filter={"text": "managing risks"})
    assert any("risk" in edge["node"]["en"].lower() for edge in english["edges"])
    prefix = await _search(api, filter={"text": "pyth"})
    assert prefix["totalCount"] >= 2
    assert all(
        "python" in e["node"]["en"].lower()
        or "python" in e["node"]["name"].lower()
        or e["node"]["form"]
        for e in prefix["edges"]
    )
    nothing = await _search(api, filter={"text": "kwantowa grawitacja"})
    assert nothing["totalCount"] == 0 and nothing["edges"] == []
    odd = await _search(api, filter={"text": 'python" OR (* AND:'})
    assert odd["totalCount"] >= 1  # Lucene syntax in the text is taken literally, not parsed


async def test_free_online_eqf4_under_20_hours_and_paging(api: Api) -> None:
    await demo_world(api.runtime)
    wanted = {"cost": "FREE", "form": "ONLINE", "eqfLevel": 4, "workload": {"max": 20}}
    found = await _search(api, filter=wanted)
    assert found["totalCount"] >= 1
    for edge in found["edges"]:
        node = edge["node"]
        assert node["form"] == "ONLINE" and node["eqfLevel"] == 4 and node["workloadHours"] <= 20

    seen, after = [], None
    while True:
        page = await _search(
            api, filter={"workload": {"min": 5, "max": 100}}, sort="WORKLOAD", first=3, after=after
        )
        seen += [edge["node"]["workloadHours"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == sorted(seen) and len(seen) == page["totalCount"]
    assert all(5 <= hours <= 100 for hours in seen)


async def test_filters_combine_and_facets_count_the_results(api: Api) -> None:
    await demo_world(api.runtime)
    # Forms and costs describe microcredentials; the demo's public club has a peer badge.
    formal = {"kind": "MICROCREDENTIAL"}
    everything = (await api.query(FACETS, {"filter": formal}))["badges"]
    total = everything["totalCount"]
    assert sum(f["count"] for f in everything["facets"]["forms"]) == total
    assert sum(f["count"] for f in everything["facets"]["costs"]) == total
    python = next(f for f in everything["facets"]["tags"] if f["value"] == "python")

    tagged = await _search(api, filter={"tags": ["python"]})
    assert tagged["totalCount"] == python["count"]
    narrowed = await api.query(FACETS, {"filter": {"tags": ["python"], "cost": "PAID"}})
    assert narrowed["badges"]["totalCount"] <= python["count"]
    english_only = await _search(api, filter={"language": "UK"})
    assert english_only["totalCount"] == 0  # the demo has no Ukrainian texts

    popular = await _search(api, sort="POPULARITY", first=total, filter=formal)
    assert popular["totalCount"] == total


async def test_bad_filters_are_clear_errors(api: Api) -> None:
    for bad, message in [
        ({"eqfLevel": 9}, "level from 1 to 8"),
        ({"workload": {"min": 10, "max": 5}}, "larger than"),
        ({"issuerId": "nope"}, "not an id of type Organization"),
    ]:
        body = (await api.raw(SEARCH, {"filter": bad})).json()
        assert message in body["errors"][0]["message"]
