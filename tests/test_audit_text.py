"""The log page's sentences: Dutch, names instead of ids, never a raw key or hash."""

from portfolio.domain.audit_text import referenced_ids, sentence


def say(action, detail, role="coordinator", name="An Peeters", names=None):
    return sentence(action, detail, actor_name=name, actor_role=role, names=names or {})


def test_extension_reads_as_a_sentence_with_the_reason():
    text = say(
        "deadline.extended",
        {
            "old": "2025-11-07T22:59:59+00:00",
            "new": "2025-11-20T22:59:00+00:00",
            "reason": "ziekte",
        },
    )
    assert text == "De coördinator An Peeters verlengde de afsluiting tot 20-11-2025 23:59: ziekte."


def test_ids_become_names_and_hashes_stay_out():
    names = {("user", 7): "Vaste Begeleider", ("pool", 3): "Pool A"}
    assert referenced_ids({"pool_id": 3, "user_id": 7}) == {("pool", 3), ("user", 7)}
    assert (
        say("pool.member_added", {"pool_id": 3, "user_id": 7}, names=names)
        == "De coördinator An Peeters voegde Vaste Begeleider toe aan pool Pool A."
    )
    signed = say(
        "stagepakket.signed", {"role": "begeleider", "content_hash": "ab" * 32}, "begeleider"
    )
    assert signed == "Stagebegeleider An Peeters ondertekende het stagepakket als stagebegeleider."


def test_assignment_change_names_old_and_new_people():
    names = {("user", 1): "Oud", ("user", 2): "Nieuw", ("pool", 5): "Pool B"}
    text = say(
        "placement.assigned",
        {"old": {"supervisor_id": 1, "pool_id": None}, "new": {"supervisor_id": 2, "pool_id": 5}},
        names=names,
    )
    assert "was begeleider Oud, pool –; wordt begeleider Nieuw, pool Pool B" in text
    assert "_id" not in text


def test_unknown_or_incomplete_events_still_read_as_dutch():
    assert say("iets.nieuws", {"token_id": 4}) == "De coördinator An Peeters: wijzigde iets."
    # A known action whose detail lacks a field falls back to its short label.
    assert say("day.moved", {}) == "De coördinator An Peeters: stagedag verplaatst."
    assert say("synthesis.decided", {"confirmed": False}, name=None).startswith("De app legde")
