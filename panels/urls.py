"""Site pages that span panels: the action log, upcoming meetings and meeting calendars."""

from django.urls import path, re_path
from wagtail.views import serve

from panels import views

app_name = "panels"

urlpatterns = [
    path("actions/", views.action_log, name="action_log"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("meetings/upcoming/", views.upcoming_meetings, name="upcoming_meetings"),
    path("meetings/calendar.ics", views.meetings_calendar, name="calendar"),
    path("meetings/calendar/<str:key>.ics", views.private_calendar, name="private_calendar"),
    # Wagtail's page addresses allow only letters, digits, "-" and "_" in each part, so a
    # comparison of a panel's terms of reference (terms/compare/1...2/) is routed to the
    # page explicitly. Wagtail's serve view still finds the page and applies its view
    # restrictions, as for every other address beneath the panel.
    re_path(
        r"^((?:[\w\-]+/)+terms/compare/\d+\.\.\.\d+/)$",
        serve,
        name="terms_compare",
    ),
]
