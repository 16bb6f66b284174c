"""The student CSV import, checked without HTTP: good files, each kind of bad row, all or nothing."""

import pytest
from sqlmodel import func, select

from portfolio.domain.errors import DomainError
from portfolio.domain.people import (
    CSV_MAX_ROWS,
    FieldError,
    clean_email,
    create_user,
    import_students,
    parse_student_csv,
)
from portfolio.models import AuditEvent, Role, User


def csv_bytes(text: str, bom: bool = False) -> bytes:
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode()


def test_comma_file_is_parsed():
    check = parse_student_csv(
        csv_bytes("naam,e-mail,studentennummer\nAn Peeters,An.Peeters@Student.be,r0100001\n")
    )
    assert check.ok
    [row] = check.rows
    assert (row.line, row.name, row.email, row.number) == (
        2,
        "An Peeters",
        "an.peeters@student.be",
        "r0100001",
    )


def test_semicolon_file_with_bom_and_other_column_order():
    text = 'Studentennummer;Naam;E-mail\nr1;"Janssens; Lien";lien@x.be\n\nr2;Bo;bo@x.be\n'
    check = parse_student_csv(csv_bytes(text, bom=True))
    assert check.ok
    assert [(r.line, r.name, r.number) for r in check.rows] == [
        (2, "Janssens; Lien", "r1"),
        (4, "Bo", "r2"),
    ]


@pytest.mark.parametrize(
    "row, message",
    [
        (",a@x.be,r9", "naam ontbreekt"),
        ("Ann,,r9", "e-mailadres ontbreekt"),
        ("Ann,geen-adres,r9", "is geen geldig e-mailadres"),
        ("Ann,ann@x,r9", "is geen geldig e-mailadres"),
        ("Ann,ann@x.be,", "studentennummer ontbreekt"),
        ("Ann,ann@x.be,r" + "9" * 40, "studentennummer is langer dan 40 tekens"),
    ],
)
def test_each_bad_row_is_reported_with_its_row_number(row, message):
    check = parse_student_csv(csv_bytes(f"naam,e-mail,studentennummer\nOk,ok@x.be,r1\n{row}\n"))
    assert not check.ok
    assert len(check.rows) == 1
    [(line, text)] = check.errors
    assert line == 3 and message in text


def test_duplicates_inside_the_file_point_to_the_first_row():
    check = parse_student_csv(
        csv_bytes("naam,e-mail,studentennummer\nA,a@x.be,r1\nB,A@X.BE,r2\nC,c@x.be,r1\n")
    )
    assert check.errors == [
        (3, "e-mailadres staat al in rij 2"),
        (4, "studentennummer staat al in rij 2"),
    ]


def test_several_problems_in_one_row_are_listed_together():
    check = parse_student_csv(csv_bytes("naam;e-mail;studentennummer\n;;\n ; x ;r1\n"))
    # An empty line is skipped; the second data line lacks a name and has a bad address.
    [(line, text)] = check.errors
    assert line == 3 and "naam ontbreekt" in text and "geen geldig e-mailadres" in text


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "leeg"),
        (csv_bytes("name,email,number\nA,a@x.be,1\n"), "Ontbreekt: naam, studentennummer"),
        ("naam,e-mail,studentennummer\nLéa,l@x.be,r1\n".encode("latin-1"), "geen UTF-8"),
        (b"naam,e-mail,studentennummer\n" + b"x" * (1024 * 1024), "groter dan 1 MB"),
        ("naam,e-mail,studentennummer\nLéa,l@x.be,r1\n".encode("utf-16"), "geen UTF-8"),
        # a NUL byte is valid UTF-8 but PostgreSQL refuses it in text
        (b"naam,e-mail,studentennummer\nA\x00n,a@x.be,r1\n", "geen UTF-8"),
        # an unclosed quote swallows the rest: a field over csv's limit is a csv.Error
        (b'naam,e-mail,studentennummer\n"' + b"a" * 200_000 + b"\n", "geen geldige CSV"),
    ],
)
def test_file_level_problems_are_refused(data, message):
    with pytest.raises(DomainError, match=message):
        parse_student_csv(data)


def test_header_only_file_has_no_students():
    check = parse_student_csv(csv_bytes("naam,e-mail,studentennummer\n"))
    assert not check.ok and check.errors == [
        (None, "Het bestand bevat geen studenten onder de kolomnamen.")
    ]


def test_too_many_rows_is_refused():
    rows = "".join(f"S{i},s{i}@x.be,r{i}\n" for i in range(CSV_MAX_ROWS + 1))
    with pytest.raises(DomainError, match="meer dan"):
        parse_student_csv(csv_bytes("naam,e-mail,studentennummer\n" + rows))


def test_import_adds_all_students_and_logs(db, make_user):
    coordinator = make_user(Role.COORDINATOR)
    check = import_students(
        db, csv_bytes("naam,e-mail,studentennummer\nA,A@x.be,r1\nB,b@x.be,r2\n"), actor=coordinator
    )
    db.commit()
    assert check.ok
    users = db.exec(select(User).where(User.role == Role.STUDENT).order_by(User.name)).all()
    assert [(u.email, u.student_number, u.password_hash) for u in users] == [
        ("a@x.be", "r1", None),
        ("b@x.be", "r2", None),
    ]
    assert db.exec(select(AuditEvent).where(AuditEvent.action == "students.imported")).one()


def test_one_existing_student_means_nothing_is_imported(db, make_user):
    coordinator = make_user(Role.COORDINATOR)
    make_user(Role.STUDENT, email="bestaat@x.be", student_number="r0000099")
    before = db.exec(select(func.count()).select_from(User)).one()
    check = import_students(
        db,
        csv_bytes(
            "naam,e-mail,studentennummer\nNieuw,nieuw@x.be,r5\nOud,BESTAAT@x.be,r6\n"
            "Num,num@x.be,r0000099\n"
        ),
        actor=coordinator,
    )
    db.commit()
    assert check.errors == [
        (3, "e-mailadres bestaat@x.be bestaat al"),
        (4, "studentennummer r0000099 bestaat al"),
    ]
    assert db.exec(select(func.count()).select_from(User)).one() == before


def test_clean_email_lowercases_and_refuses_nonsense():
    assert clean_email("  Jan.Peeters@School.BE ") == "jan.peeters@school.be"
    for bad in ("", "jan", "jan@", "@x.be", "jan@x", "a b@x.be", "jan@x..be"):
        with pytest.raises(FieldError):
            clean_email(bad)


def test_create_user_refuses_duplicate_email_in_any_case(db, make_user):
    coordinator = make_user(Role.COORDINATOR)
    make_user(Role.SUPERVISOR, email="bea@x.be")
    with pytest.raises(FieldError) as refused:
        create_user(db, role=Role.SUPERVISOR, name="Bea", email="BEA@X.be", actor=coordinator)
    assert refused.value.field == "email" and "bestaat al" in refused.value.message
