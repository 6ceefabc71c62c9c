"""The site's addresses, and one that raises, as an unhandled fault in a view would."""

from django.urls import path

from hub.urls import handler404, urlpatterns

__all__ = ["handler404", "urlpatterns"]


def fail(request):
    raise RuntimeError("A fault on purpose")


urlpatterns = [path("_fail/", fail), *urlpatterns]
