"""Background work of the policy library: telling people of a version once it is published."""

from django_tasks import task

from policies import services
from policies.models import PolicyVersion


@task()
def announce_version(version_id: int) -> int:
    """Email the people a published version concerns (``services.announce_version``).

    Queued by ``services.record_version`` when its transaction commits; how many
    notices were recorded (none when run again for the same version).
    """
    version = PolicyVersion.objects.select_related("published_by").filter(pk=version_id).first()
    if version is None:
        return 0
    return len(services.announce_version(version=version))
