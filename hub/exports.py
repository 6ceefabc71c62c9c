"""Helpers for the spreadsheets people download."""

FORMULA_STARTS = ("=", "+", "-", "@")


def spreadsheet_safe(value: str) -> str:
    """Stops a spreadsheet treating text such as ``=cmd()`` as a formula."""
    return f"'{value}" if value[:1] in FORMULA_STARTS else value
