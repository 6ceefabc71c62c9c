"""Trying many cases against one fixture, built once, with every failing case reported."""


def failures(cases, check) -> list[str]:
    """Each case ``check`` fails on, with why: every case is tried whatever fails first."""
    failed = []
    for case in cases:
        try:
            check(case)
        except Exception as error:
            failed.append(f"{case!r:.80}: {error!r:.300}")
    return failed
