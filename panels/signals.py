"""What panels announce to whoever listens, such as notifications."""

from django.dispatch import Signal

# Sent with ``meeting`` (the live page) once the transaction that published its
# minutes commits: directly, through the "Minutes approval" workflow or on a schedule.
minutes_published = Signal()
