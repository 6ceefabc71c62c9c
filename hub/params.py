"""Reading a list's filters from a query string, and numbers from an address.

Each list reads its query string in one place, a ``from_query`` method of its
filters, with these helpers. A value that is not a number, or not one of a
filter's choices, counts as not given, so a list shows everything;
a number too large for any record to have is bad input, answered with a 400 by
``hub.middleware.BadInputMiddleware``, never a database error.
"""

import datetime
import re

# Both SQLite and PostgreSQL keep ids and numbers in 64 bits.
LARGEST_NUMBER = 2**63 - 1
NUMERAL = re.compile(r"\s*[+-]?\d+\s*")
TOO_LARGE = (
    "A number in this address is too large to belong to anything here. "
    "Check the link, or go back and choose again."
)


class BadParameter(Exception):
    """Input no page could answer; its message is shown to the reader."""


def database_int(value) -> int:
    """``value`` as a whole number the database can hold; ValueError for anything else."""
    text = str(value)
    if not NUMERAL.fullmatch(text) or len(text.strip().lstrip("+-").lstrip("0")) > 19:
        raise ValueError(f"not a number the database can hold: {text[:40]!r}")
    number = int(text)
    if abs(number) > LARGEST_NUMBER:
        raise ValueError(f"not a number the database can hold: {text[:40]!r}")
    return number


def int_or_none(value) -> int | None:
    """A filter's number, or None when none is given or the value is not a number."""
    if value is None or not NUMERAL.fullmatch(str(value)):
        return None
    try:
        return database_int(value)
    except ValueError:
        raise BadParameter(TOO_LARGE) from None


def choice(query, name: str, choices) -> str:
    """The value of ``name`` in ``query`` if it is one of ``choices``; otherwise none chosen."""
    value = query.get(name, "")
    return value if value in choices else ""


def date_or_none(query, name: str) -> datetime.date | None:
    """The date ``name`` gives as YYYY-MM-DD, or None when it is not given."""
    value = query.get(name, "").strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise BadParameter(
            f"“{value[:40]}” is not a date. Give dates as year, month and day, such as 2015-01-31."
        ) from None
