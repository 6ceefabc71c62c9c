"""The site's URLs: admin, documents, sign-in, the panels' lists, and Wagtail's pages last."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from hub import views
from panels import urls as panels_urls

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("display/", views.display_preferences, name="display_preferences"),
    path("glossary/", views.glossary, name="glossary"),
    path("", include(panels_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    path("", include("search.urls")),
    path("", include("policies.urls")),
    path("", include(wagtail_urls)),
]
