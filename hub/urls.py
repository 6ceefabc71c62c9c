"""The site's URLs: admin, documents, sign-in, the panels' lists, and Wagtail's pages last."""

from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.utils.urlpatterns import decorate_urlpatterns

from hub import views
from hub.admin_views import PageTypesUsageView
from hub.page_cache import shareable
from panels import urls as panels_urls
from policies import urls as policies_urls
from search import urls as search_urls

# Wagtail's own report at these addresses would name pages to people who may not open them.
page_types_report = [
    path("", PageTypesUsageView.as_view(), name="hub_page_types_usage"),
    path("results/", PageTypesUsageView.as_view(results_only=True), name="hub_page_types_results"),
]

handler404 = "hub.views.not_found"

# The public site: what these serve an anonymous reader may be kept by shared caches,
# within the rules of ``hub.page_cache`` (private feeds and calendars say no-store).
public = [
    path("glossary/", views.glossary, name="glossary"),
    path("", include(panels_urls)),
    path("", include(search_urls)),
    path("", include(policies_urls)),
    path("", include(wagtail_urls)),
]

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path(
        "admin/reports/page-types-usage/",
        include(decorate_urlpatterns(page_types_report, require_admin_access)),
    ),
    # Wagtail's own sign-in would skip the second factor and the throttle.
    path("admin/login/", views.admin_sign_in, name="hub_admin_login"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("display/", views.display_preferences, name="display_preferences"),
    path("display/print-origin.css", views.print_origin, name="print_origin"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/follow/", views.subscribe, name="subscribe"),
    path("notifications/stop/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", views.image_file, name="image_file"),
    *decorate_urlpatterns(public, shareable),
]
