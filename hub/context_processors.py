"""Template context every page needs."""

from hub.views import LARGE_PRINT_COOKIE


def display(request):
    """The reader's display preferences."""
    return {"large_print": request.COOKIES.get(LARGE_PRINT_COOKIE) == "1"}
