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
        "Street address",
        re.compile(
            r"\b\d{1,4}[a-z]?,?\s+(?:[A-Z][a-z]+\s+){1,3}"
            r"(?:Road|Street|Avenue|Lane|Close|Drive|Way|Crescent|Court|Gardens|Place|Terrace"
            r"|Grove|Walk|Row|Square|Mews|Rise|Hill|Park)\b"
        ),
        "A house number and street lead to a family's home.",
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
    for name in sorted(_name_forms(names), key=len, reverse=True):
        for match in re.finditer(rf"\b{re.escape(name)}\b", text):
            if any(
                earlier.start <= match.start() < earlier.start + len(earlier.found)
                for earlier in findings
            ):
                continue
            findings.append(
                Finding(
                    "Child's name",
                    match.group(),
                    match.start(),
                    "This name is recorded in the confidential part, which only the panel reads.",
                )
            )
    return findings


def _name_forms(names: Iterable[str]) -> set[str]:
    """Each name whole, and each of its words that could stand for it alone (“Jayden”, “Smith”)."""
    forms = set()
    for name in names:
        name = " ".join(name.split())
        if name:
            forms.add(name)
            forms.update(word for word in name.split() if len(word) >= 3 and word[0].isupper())
    return forms


def _case_reference_patterns() -> list[Pattern]:
    """The council's own case and file reference formats (``HUB_CASE_REFERENCE_PATTERNS``)."""
    return [
        Pattern(
            "Case reference",
            re.compile(expression),
            "A case or file reference leads to one child's records.",
        )
        for expression in settings.HUB_CASE_REFERENCE_PATTERNS
    ]


@dataclass(frozen=True)
class Passage:
    """A piece of what a wider audience will read, and where it is in the editor."""

    where: str
    text: str


@dataclass(frozen=True)
class Located:
    """A finding in a passage, with the words around it."""

    where: str
    finding: Finding
    excerpt: str

    @property
    def summary(self) -> str:
        """What and where, without the words found: fit for a history kept for good."""
        return f"{self.finding.kind} in {self.where}"


def review(passages: Iterable[Passage], *, child_names: Iterable[str] = ()) -> list[Located]:
    """Every finding in ``passages``, passage by passage, each with its excerpt."""
    child_names = list(child_names)
    return [
        Located(passage.where, finding, _excerpt(passage.text, finding))
        for passage in passages
        for finding in check(passage.text, child_names=child_names)
    ]


def findings_for(page) -> list[Located]:
    """The findings in what readers beyond its panel will see of ``page``, as it now stands.

    A page says what that is with ``shared_passages()`` (nothing when only its panel
    reads it); if it records any, the names of children it keeps from them with
    ``children_named()``; and, with ``unchecked_files()``, findings for the files it
    attaches whose text could not be read. Other pages have nothing to check.
    """
    passages = getattr(page, "shared_passages", None)
    shared = passages() if passages is not None else []
    if not shared:
        return []
    names = getattr(page, "children_named", list)
    unchecked = getattr(page, "unchecked_files", list)
    return review(shared, child_names=names()) + unchecked()


def _excerpt(text: str, finding: Finding, *, around: int = 40) -> str:
    start = max(0, finding.start - around)
    end = min(len(text), finding.start + len(finding.found) + around)
    before = "…" if start else ""
    after = "…" if end < len(text) else ""
    return before + " ".join(text[start:end].split()) + after


def case_reference_problems() -> list[str]:
    """Why any of the council's case reference formats is not a regular expression."""
    problems = []
    for expression in settings.HUB_CASE_REFERENCE_PATTERNS:
        try:
            re.compile(expression)
        except re.error as error:
            problems.append(f"{expression!r}: {error}")
    return problems
