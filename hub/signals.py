"""Announcements domain apps make without importing the apps that listen."""

from django.dispatch import Signal

# Sent with ``owners``: the names (see ``hub.search_types``) of things whose
# searchable records changed, e.g. an action whose status moved on.
records_changed = Signal()
