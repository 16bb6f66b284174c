"""The Student field of a new placement (issue #12): the student is typed as number or e-mail
address, never chosen from a list of every student; htmx suggests at most 10 while typing; the
people list links each student to a new placement with the field filled in."""

import re

import pytest
from sqlmodel import select

from portfolio.domain import listings
from portfolio.domain.errors import FieldError
from portfolio.domain.people import NO_STUDENT, find_student, student_id_for
from portfolio.models import Placement, Role, User
from tests.test_coordinator import _placement_form

NEW = "/beheer/stages/nieuw"
SEARCH = "/beheer/stages/nieuw/studenten"
HTMX = {"HX-Request": "true"}


def _placements(db):
    db.expire_all()
    return db.exec(select(Placement).where(Placement.site_name.like("Speelplein%"))).all()


# ---------------------------------------------------------------- the rule, without HTTP


def test_a_student_is_found_by_number_or_email_trimmed_in_any_case(db, make_user):
    student = make_user(Role.STUDENT, email="sara.peeters@student.be", student_number="r0123456")
    for typed in ("r0123456", "  R0123456 ", "Sara.Peeters@Student.BE", " sara.peeters@student.be"):
        assert student_id_for(db, typed) == student.id, typed


@pytest.mark.parametrize("typed", ["", "   ", None, "r012345", "sara", "%", "r0123456x"])
def test_anything_but_an_exact_number_or_address_is_refused(db, make_user, typed):
    make_user(Role.STUDENT, email="sara.peeters@student.be", student_number="r0123456")
    with pytest.raises(FieldError) as refused:
        student_id_for(db, typed)
    assert (refused.value.message, refused.value.field) == (NO_STUDENT, "student")


def test_someone_who_is_not_a_student_is_refused(db, make_user):
    for role in (Role.SUPERVISOR, Role.MENTOR, Role.COORDINATOR):
        other = make_user(role)
        assert find_student(db, other.email) is None


def test_of_two_numbers_differing_in_case_the_one_typed_exactly_wins(db, make_user):
    upper = make_user(Role.STUDENT, student_number="R0001")
    lower = make_user(Role.STUDENT, student_number="r0001")
    assert find_student(db, "R0001").id == upper.id
    assert find_student(db, " r0001").id == lower.id
    assert find_student(db, "r0001x") is None


def test_choices_are_ten_students_at_most_the_exact_number_first(db, make_user):
    students = [make_user(Role.STUDENT, name=f"Zoeker {n:02d}") for n in range(12)]
    make_user(Role.SUPERVISOR, name="Zoeker Begeleider")
    found, more = listings.student_choices(db, " zoeker ")
    assert more and [s.name for s in found] == [f"Zoeker {n:02d}" for n in range(10)]
    last = students[-1]
    found, _ = listings.student_choices(db, last.student_number.upper())
    assert found[0].id == last.id
    assert listings.student_choices(db, "z") == ([], False)  # one letter: no list yet
    found, more = listings.student_choices(db, "Zoeker 11")
    assert ([s.id for s in found], more) == ([last.id], False)


def test_staff_choices_are_ids_and_names(db, world):
    rows = listings.users_with_role(db, Role.SUPERVISOR)
    assert [(r.id, r.name) for r in rows] == [
        (world.outsider.id, "Andere Pool"),
        (world.colleague.id, "Pool Collega"),
        (world.supervisor.id, "Vaste Begeleider"),
    ]
    assert all(len(r) == 2 for r in rows)  # no full User objects


# ---------------------------------------------------------------- the form


def test_the_form_lists_no_students_whatever_their_number(
    world, db, login_as, make_user, count_queries
):
    client = login_as(world.coordinator)
    counts, sizes = [], []
    for total in (3, 30):  # the world has 2 students
        while len(db.exec(select(User).where(User.role == Role.STUDENT)).all()) < total:
            make_user(Role.STUDENT, name=f"Lijst Student {total}")
        with count_queries() as counted:
            page = client.get(NEW)
        assert page.status_code == 200
        counts.append(counted.n)
        sizes.append(len(page.data))
        assert "Lijst Student" not in page.text and "Student Een" not in page.text
        assert 'name="student_id"' not in page.text
        assert '<label for="student">Student</label>' in page.text
        assert re.search(r'<input type="text" id="student" name="student" value=""', page.text)
    assert counts[0] == counts[1], counts
    assert sizes[0] == sizes[1], sizes


@pytest.mark.parametrize(
    "typed",
    [
        lambda w: w.other_student.student_number.upper(),
        lambda w: f"  {w.other_student.student_number} ",
        lambda w: w.other_student.email.upper(),
        lambda w: f" {w.other_student.email.title()}  ",
    ],
)
def test_a_placement_is_made_for_the_student_typed(world, db, login_as, typed):
    form = _placement_form(world, student=typed(world))
    response = login_as(world.coordinator).post(NEW, data=form)
    assert response.status_code == 303
    [placement] = _placements(db)
    assert placement.student_id == world.other_student.id


@pytest.mark.parametrize(
    "typed", [lambda w: "r9999999", lambda w: w.supervisor.email, lambda w: w.mentor.email]
)
def test_an_unknown_or_non_student_is_refused_by_the_field(world, db, login_as, typed):
    form = _placement_form(world, student=typed(world))
    response = login_as(world.coordinator).post(NEW, data=form)
    assert response.status_code == 422
    assert f'<small id="student-fout" class="field-error">{NO_STUDENT}</small>' in response.text
    assert 'aria-describedby="student-hint student-status student-fout"' in response.text
    assert 'aria-invalid="true" autofocus' in response.text
    # What was typed stays, in this field and the others.
    assert f'value="{typed(world)}"' in response.text
    assert 'value="Speelpleinwerking Het Bos"' in response.text
    assert 'value="Nieuwe.Mentor@Bos.be"' in response.text
    assert _placements(db) == []


# ---------------------------------------------------------------- the suggestions (htmx)


def test_the_search_suggests_ten_students_at_most(world, db, login_as, make_user, count_queries):
    client = login_as(world.coordinator)
    for n in range(14):
        make_user(Role.STUDENT, name=f"Zoeker {n:02d}")
    with count_queries() as counted:
        response = client.get(SEARCH, query_string={"student": "zoeker"}, headers=HTMX)
    assert response.status_code == 200 and counted.n <= 4, counted.statements
    assert "HX-Request" in response.headers["Vary"]
    assert response.text.count("<li>") == 10 and "Zoeker 09" in response.text
    assert "Zoeker 10" not in response.text
    assert 'id="student-status" hx-swap-oob="innerHTML"' in response.text
    assert "Meer dan 10 studenten passen" in response.text
    one = client.get(SEARCH, query_string={"student": "Zoeker 03"}, headers=HTMX)
    assert one.text.count("<li>") == 1 and "1 student past" in one.text
    number = db.exec(select(User).where(User.name == "Zoeker 03")).one().student_number
    assert f'data-pick="{number}">Zoeker 03 ({number})</button>' in one.text


def test_the_search_needs_two_characters_and_says_when_nothing_matches(world, login_as):
    client = login_as(world.coordinator)
    short = client.get(SEARCH, query_string={"student": " s "}, headers=HTMX)
    assert "<li>" not in short.text and "Typ minstens 2 tekens" in short.text
    empty = client.get(SEARCH, query_string={"student": ""}, headers=HTMX)
    assert "<li>" not in empty.text and "Typ minstens" not in empty.text
    none = client.get(SEARCH, query_string={"student": "xyz"}, headers=HTMX)
    assert "<li>" not in none.text and "Geen student gevonden voor „xyz”." in none.text


def test_the_search_finds_only_students(world, login_as):
    response = login_as(world.coordinator).get(
        SEARCH, query_string={"student": "@test.be"}, headers=HTMX
    )
    assert "Student Een" in response.text and "Student Twee" in response.text
    for other in ("Vaste Begeleider", "Mentor Een", "Coördinator"):
        assert other not in response.text


def test_the_search_escapes_names_and_what_was_typed(world, login_as, make_user):
    make_user(Role.STUDENT, name="<script>alert(1)</script> Kwaad", student_number="r<b>1")
    client = login_as(world.coordinator)
    response = client.get(SEARCH, query_string={"student": "kwaad"}, headers=HTMX)
    assert "<script>" not in response.text and "<b>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Kwaad" in response.text
    assert 'data-pick="r&lt;b&gt;1"' in response.text
    typed = client.get(SEARCH, query_string={"student": "<img src=x>"}, headers=HTMX)
    assert "<img" not in typed.text and "„&lt;img src=x&gt;”" in typed.text


@pytest.mark.parametrize("role", ["supervisor", "student", "mentor"])
def test_the_search_is_for_the_coordinator_only(world, login_as, make_user, role):
    make_user(Role.STUDENT, name="Zoeker Geheim")
    client = login_as(getattr(world, role))
    for headers in ({}, HTMX):
        response = client.get(SEARCH, query_string={"student": "zoeker"}, headers=headers)
        assert response.status_code == 403
        assert "alleen voor de stagecoördinator" in response.text
        assert "Zoeker Geheim" not in response.text


def test_the_search_signed_out_sends_to_login(world, client, make_user):
    make_user(Role.STUDENT, name="Zoeker Geheim")
    response = client.get(SEARCH, query_string={"student": "zoeker"}, headers=HTMX)
    assert response.status_code in (302, 401) and "Zoeker Geheim" not in response.text


def test_without_htmx_the_search_is_the_people_list(world, login_as):
    client = login_as(world.coordinator)
    response = client.get(SEARCH, query_string={"student": " Twee "})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/beheer/personen?rol=student&q=Twee")
    page = client.get(response.headers["Location"])
    assert "Student Twee" in page.text and "Student Een" not in page.text


def test_the_field_asks_htmx_for_suggestions(world, login_as):
    page = login_as(world.coordinator).get(NEW).text
    assert f'hx-get="{SEARCH}" hx-trigger="input changed delay:300ms"' in page
    assert 'hx-target="#student-keuzes"' in page
    assert 'id="student-status" class="hint" role="status" aria-live="polite"' in page
    assert '<ul id="student-keuzes" class="picker-results"' in page
    assert "/static/picker.js" in page


# ---------------------------------------------------------------- from the people list


def test_the_people_list_links_each_student_to_a_new_placement(world, db, login_as, make_user):
    no_number = make_user(Role.STUDENT, name="Zonder Nummer", student_number=None)
    client = login_as(world.coordinator)
    page = client.get("/beheer/personen").text
    number = world.student.student_number
    assert f'href="{NEW}?student={number}">Nieuwe stage' in page
    assert f'href="{NEW}?student=student' in page  # by e-mail address when without a number
    assert page.count(f'href="{NEW}?student=') == 3  # students only
    assert 'Nieuwe stage<span class="visually-hidden"> voor Student Een</span>' in page

    form = client.get(f"{NEW}?student={number}")
    assert form.status_code == 200
    assert f'name="student" value="{number}"' in form.text
    assert f"Gekozen: Student Een ({number})" in form.text
    by_email = client.get(NEW, query_string={"student": no_number.email})
    assert f'value="{no_number.email}"' in by_email.text
    assert f"Gekozen: Zonder Nummer ({no_number.email})" in by_email.text
    unknown = client.get(NEW, query_string={"student": "r404"})
    assert unknown.status_code == 200 and 'value="r404"' in unknown.text
    assert "Gekozen" not in unknown.text and "student-fout" not in unknown.text

    # The form posts to its own URL, ?student= included: what is posted counts.
    other = world.other_student.student_number
    posted = client.post(f"{NEW}?student={number}", data=_placement_form(world, student=other))
    assert posted.status_code == 303
    assert [p.student_id for p in _placements(db)] == [world.other_student.id]
