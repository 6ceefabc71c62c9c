"""Trying many cases against one fixture, built once, with every failing case reported."""

import pytest

# What a failed check raises: an exception, or pytest's own failure (pytest.raises unmet).
CHECK_FAILED = (Exception, pytest.fail.Exception)


def failures(cases, check) -> list[str]:
    """Each case ``check`` fails on, with why: every case is tried whatever fails first."""
    failed = []
    for case in cases:
        try:
            check(case)
        except CHECK_FAILED as error:
            # Long enough for an accessibility report, short enough to read.
            failed.append(f"{case!r:.80}: {error!s:.3000}")
    return failed
