"""Reading filter values from a query string: anything malformed counts as not given."""


def int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
