"""The privacy check: each kind of identifying detail in realistic minutes, and none in
ordinary ones."""

import pytest
from django.core import checks

from hub.privacy import check, is_nhs_number

ORDINARY_MINUTES = (
    "Matters arising. Actions from December were reviewed. The revised threshold document "
    "will be launched at the LSCB conference on neglect in February 2015. Six cases were "
    "presented by partner agencies; four were agreed as Child in Need. Referrals rose 12% "
    "on the quarter. Next meeting 11 March 2015 at 10:00, Catmose."
)


def kinds(text: str, **options) -> list[tuple[str, str]]:
    return [(finding.kind, finding.found) for finding in check(text, **options)]


def test_ordinary_minutes_have_no_finding():
    assert check(ORDINARY_MINUTES) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Her NHS number is 943 476 5919.", [("NHS number", "943 476 5919")]),
        ("NHS no. 9434765919 was checked.", [("NHS number", "9434765919")]),
        ("Child DOB: 03/04/2012, referred by school.", [("Date of birth", "DOB: 03/04/2012")]),
        ("The boy was born on 3 April 2012.", [("Date of birth", "born on 3 April 2012")]),
        ("Jayden (7) was seen at home.", [("Age beside a name", "Jayden (7)")]),
        ("Amira, aged 9, attends the school.", [("Age beside a name", "Amira, aged 9")]),
        ("The family moved to LE15 6HP last year.", [("Postcode", "LE15 6HP")]),
        ("Mother can be reached on 07700 900123.", [("Phone number", "07700 900123")]),
        ("Call +44 1572 722577 for the duty team.", [("Phone number", "+44 1572 722577")]),
        ("Father wrote from dad.smith@example.com.", [("Email address", "dad.smith@example.com")]),
        ("The family lives at 14 Oakham Road.", [("Street address", "14 Oakham Road")]),
        ("Seen at 3a, Church Street on Monday.", [("Street address", "3a, Church Street")]),
    ],
)
def test_each_kind_of_identifying_detail_is_found_where_it_is(text, expected):
    findings = check(text)

    assert [(finding.kind, finding.found) for finding in findings] == expected
    assert all(text[f.start : f.start + len(f.found)] == f.found for f in findings)
    assert all(finding.why for finding in findings)


def test_ten_digits_that_fail_the_check_digit_are_not_an_nhs_number():
    assert is_nhs_number("9434765919")
    assert not is_nhs_number("9434765918")
    # A remainder that would need a check digit of 10 makes no valid number.
    assert not is_nhs_number("0000000060")
    assert kinds("Invoice 943 476 5918 was paid.") == []


def test_a_childs_name_from_the_confidential_part_is_found_outside_it():
    text = "Chloe's school reported better attendance; Chloemarie is a different child."

    assert kinds(text, child_names=["Chloe", " "]) == [("Child's name", "Chloe")]


def test_the_councils_own_case_reference_format_is_found(settings):
    settings.HUB_CASE_REFERENCE_PATTERNS = [r"\bCIN-\d{6}\b"]

    assert kinds("Case CIN-004512 was stepped down.") == [("Case reference", "CIN-004512")]
    assert kinds(ORDINARY_MINUTES) == []


def test_a_childs_first_name_or_surname_alone_is_found_once_where_the_whole_name_is():
    text = "Jayden Smith was seen. Jayden is settled; the Smith family moved."

    assert kinds(text, child_names=["Jayden Smith"]) == [
        ("Child's name", "Jayden Smith"),
        ("Child's name", "Jayden"),
        ("Child's name", "Smith"),
    ]


def test_findings_come_in_the_order_of_the_text():
    text = "Contact mum@example.org or 07700 900123; DOB 1/2/2013; postcode LE15 6HP."

    assert [finding.kind for finding in check(text)] == [
        "Email address",
        "Phone number",
        "Date of birth",
        "Postcode",
    ]


def test_a_broken_case_reference_format_stops_the_site_starting_with_its_name(settings):
    settings.HUB_CASE_REFERENCE_PATTERNS = [r"\bCIN-\d{6}\b", r"CS-(\d+"]

    errors = [error for error in checks.run_checks() if error.id == "hub.E001"]

    assert [error.msg for error in errors] == [
        "HUB_CASE_REFERENCE_PATTERNS holds a format that is not a regular expression: "
        "'CS-(\\\\d+': missing ), unterminated subpattern at position 3"
    ]
