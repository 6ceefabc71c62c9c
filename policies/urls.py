"""URLs the policy pages need beyond Wagtail's own page addresses."""

from django.urls import re_path
from wagtail.views import serve

# Wagtail's page addresses allow only letters, digits, "-" and "_" in each part, so a
# compare address such as versions/compare/2...3/ is routed to the page explicitly.
# Wagtail's serve view still finds the page and applies its view restrictions.
urlpatterns = [
    re_path(
        r"^((?:[\w\-]+/)+versions/compare/\d+\.\.\.\d+/)$",
        serve,
        name="policy_compare",
    ),
]
