"""Announcements domain apps make and hear without importing one another.

``hub.changes`` sends them; see there for the order they come in.
"""

from django.dispatch import Signal

# A page went live (directly, by a workflow, on a schedule or by a revert), with
# ``instance`` and ``revision`` as Wagtail gives them. Receivers settle what follows
# from it (a policy version, a panel's groups) before the page's records are announced.
page_went_live = Signal()

# A page moved, with Wagtail's ``instance``, ``parent_page_before`` and
# ``parent_page_after``; receivers settle it before the pages beneath are announced.
page_moved = Signal()

# Sent with ``owners`` (see ``hub.search_types``) once per transaction, when it commits:
# the things whose searchable records changed, e.g. an action whose status moved on.
records_changed = Signal()

# Sent once at the end of a bulk load that announced nothing as it went.
all_records_changed = Signal()

# Sent as its transaction commits when something any page may show changed that
# is not a record of its own: the site's settings, a glossary term.
site_changed = Signal()
