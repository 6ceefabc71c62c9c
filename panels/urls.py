"""Site pages that span panels: the action log, upcoming meetings and meeting calendars."""

from django.urls import path

from hub.page_routes import compare_address
from panels import views

app_name = "panels"

urlpatterns = [
    path("actions/", views.action_log, name="action_log"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("meetings/upcoming/", views.upcoming_meetings, name="upcoming_meetings"),
    path("meetings/calendar.ics", views.meetings_calendar, name="calendar"),
    path("meetings/calendar/<str:key>.ics", views.private_calendar, name="private_calendar"),
    # A comparison of a panel's terms of reference: terms/compare/1...2/.
    compare_address("terms/compare", name="terms_compare"),
]
