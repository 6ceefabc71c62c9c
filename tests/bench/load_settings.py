"""The site as the load benchmark serves it: the tests' settings, keeping pages as deployed.

The tests keep pages only where they test keeping them (``hub.settings.test``);
a deployed site with Redis keeps them for every anonymous reader.
"""

from hub.settings.test import *  # noqa: F403

HUB_PAGE_CACHE = "default" if REDIS_URL else ""  # noqa: F405
