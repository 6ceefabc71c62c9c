"""Likely identifying details of a child in text about to reach a wider audience.

One interface, text in and findings out (``check``), so that a stronger detector (a
named-entity model shipped in a package) can replace these patterns without the editor,
the workflow or the history knowing. Patterns err towards finding: a person reads each
finding and moves the sentence, or publishes anyway with a reason.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings

# A day as minutes write it: 3/4/2012, 3 April 2012, 2012-04-03.
DATE = (
    r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+\s+\d{4}"
    r"|\d{4}-\d{2}-\d{2}"
)


@dataclass(frozen=True)
class Finding:
    """Something in the text that may identify a child: what it is, the words, where they
    start in the text, and why they were flagged."""

    kind: str
    found: str
    start: int
    why: str


@dataclass(frozen=True)
class Pattern:
    kind: str
    expression: re.Pattern
    why: str


PATTERNS = (
    Pattern(
        "Date of birth",
        re.compile(rf"\b(?:D\.?O\.?B\.?|date of birth|born(?: on)?)[:\s]+(?:{DATE})", re.I),
        "A date of birth identifies a child together with almost anything else.",
    ),
    Pattern(
        "Age beside a name",
        re.compile(r"\b[A-Z][a-z]+,?\s+(?:\(\d{1,2}\)|aged\s+\d{1,2}|\d{1,2}[- ]years?[- ]old)"),
        "A first name with an age points to one child.",
    ),
    Pattern(
        "Postcode",
        re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"),
        "A postcode narrows a family down to a few houses.",
    ),
    Pattern(
        "Email address",
        re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"),
        "An email address names a person.",
    ),
    Pattern(
        "Phone number",
        re.compile(r"(?<![\w+])(?:\+44\s?\(?0?\)?\s?|0)\d(?:[\s-]?\d){8,9}\b"),
        "A phone number reaches a family directly.",
    ),
)
NHS_NUMBER = re.compile(r"(?<!\d)(\d{3})[\s-]?(\d{3})[\s-]?(\d{4})(?!\d)")


def check(text: str, *, child_names: Iterable[str] = ()) -> list[Finding]:
    """The likely identifying details in ``text``, in the order they appear.

    ``child_names`` are names of children recorded where only the panel reads them (the
    confidential part of the same meeting); any of them found here is a finding.
    """
    findings = [
        Finding(pattern.kind, match.group(), match.start(), pattern.why)
        for pattern in (*PATTERNS, *_case_reference_patterns())
        for match in pattern.expression.finditer(text)
    ]
    findings += _nhs_numbers(text)
    findings += _names(text, child_names)
    return sorted(findings, key=lambda finding: (finding.start, finding.kind))


def is_nhs_number(digits: str) -> bool:
    """Whether ten digits make a valid NHS number: the last is the modulus 11 check digit."""
    if not re.fullmatch(r"\d{10}", digits):
        return False
    weights = range(10, 1, -1)
    total = sum(int(digit) * weight for digit, weight in zip(digits[:9], weights, strict=True))
    check_digit = (11 - total % 11) % 11
    return check_digit != 10 and check_digit == int(digits[9])


def _nhs_numbers(text: str) -> list[Finding]:
    return [
        Finding(
            "NHS number",
            match.group(),
            match.start(),
            "Ten digits whose check digit holds: an NHS number identifies one person.",
        )
        for match in NHS_NUMBER.finditer(text)
        if is_nhs_number("".join(match.groups()))
    ]


def _names(text: str, names: Iterable[str]) -> list[Finding]:
    findings = []
    for name in {name.strip() for name in names if name and name.strip()}:
        for match in re.finditer(rf"\b{re.escape(name)}\b", text):
            findings.append(
                Finding(
                    "Child's name",
                    match.group(),
                    match.start(),
                    "This name is recorded in the confidential part, which only the panel reads.",
                )
            )
    return findings


def _case_reference_patterns() -> list[Pattern]:
    """The council's own case and file reference formats (``HUB_CASE_REFERENCE_PATTERNS``)."""
    return [
        Pattern(
            "Case reference",
            re.compile(expression),
            "A case or file reference leads to one child's records.",
        )
        for expression in getattr(settings, "HUB_CASE_REFERENCE_PATTERNS", ())
    ]
