"""The fault bench's live accounting (bench/live_watch.py): a subscriber keeps each event
once by its id, counts what the server sent twice, and tells live deliveries from those
recovered by the final catch-up; what neither brought is missing. (The whole harness with
two instances and a 10 s Redis outage takes a minute: it is run by hand, not here.)"""

from bench.live_watch import Subscriber, account


def item(event: str, sequence: int) -> dict[str, object]:
    return {"eventId": event, "sequence": sequence, "kind": "AWARD_RECEIVED"}


def test_duplicates_are_dropped_by_event_id_and_counted() -> None:
    sub = Subscriber(token="t", account="a")
    kept = [sub.receive(item("e1", 5), False), sub.receive(item("e1", 5), False)]
    kept.append(sub.receive(item("e1", 5), True))  # a catch-up resends it: dropped too
    assert kept == [True, False, False]
    assert sub.server_duplicates == 2 and sub.live == {"e1"} and sub.recovered == set()


def test_catch_up_resumes_after_the_highest_sequence_received() -> None:
    sub = Subscriber(token="t", account="a")
    sub.receive(item("e2", 9), False)
    sub.receive(item("e1", 4), False)  # a lower sequence delivered later (PostgreSQL)
    assert sub.last_sequence == 9


def test_the_run_figures_split_live_recovered_and_missing() -> None:
    first, second = Subscriber(token="t1", account="a"), Subscriber(token="t2", account="b")
    first.receive(item("e1", 1), False)
    first.receive(item("e2", 2), True)
    first.receive(item("e2", 2), True)
    second.receive(item("e3", 3), True)
    second.receive(item("elsewhere", 4), False)  # not one of the account's notifications
    expected = {"a": {"e1", "e2"}, "b": {"e3", "e4"}}

    figures = account([first, second], expected)

    assert {k: v for k, v in figures.items() if k != "per_subscriber"} == {
        "expected": 4,
        "delivered_live": 1,
        "recovered_by_catch_up": 2,
        "missing_after_catch_up": 1,
        "duplicates_from_server": 1,
        "duplicates_dropped_by_client": 1,
        "reconnects": 0,
    }
    assert figures["per_subscriber"] == [[2, 1, 1, 2], [2, 1, 1, 4]]
