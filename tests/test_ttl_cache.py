"""The dashboard's figures are kept a short while per filter, so a coordinator clicking through
counts does not recount the whole programme every time; never across filters."""

from __future__ import annotations

from portfolio.ttl_cache import TTLCache


def test_a_fresh_value_is_reused_and_a_stale_one_recomputed(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr("portfolio.ttl_cache.time.monotonic", lambda: clock[0])
    cache, calls = TTLCache(60), []

    def compute():
        calls.append(1)
        return len(calls)

    assert cache.get_or_compute("a", compute) == 1
    clock[0] += 59
    assert cache.get_or_compute("a", compute) == 1
    assert cache.get_or_compute("b", compute) == 2  # another filter: its own value
    clock[0] += 2
    assert cache.get_or_compute("a", compute) == 3


def test_no_caching_with_zero_seconds_and_a_bounded_size():
    assert [TTLCache(0).get_or_compute("a", lambda n=n: n) for n in range(3)] == [0, 1, 2]
    cache = TTLCache(60, max_entries=2)
    for key in "abc":
        cache.get_or_compute(key, lambda key=key: key)
    assert cache.get_or_compute("a", lambda: "new") == "new"  # the oldest was let go


def test_the_dashboard_counts_once_a_minute(app, world, login_as, count_queries):
    app.config["DASHBOARD_CACHE_SECONDS"] = 60
    client = login_as(world.coordinator)
    first = client.get("/beheer")
    assert first.status_code == 200 and "Geteld om" in first.text
    with count_queries() as counted:
        again = client.get("/beheer?telling=actief")
    assert again.status_code == 200
    with count_queries() as other_filter:
        client.get("/beheer?semester=2")
    assert counted.n < other_filter.n  # the second look reused the counts and the chart
