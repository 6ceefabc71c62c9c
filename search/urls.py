"""The search page and the decision register, which is a search kept to decisions."""

from django.urls import path

from search import views

app_name = "search"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("decisions/", views.decision_register, name="decision_register"),
]
