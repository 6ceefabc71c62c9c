"""URLs the policy pages need beyond Wagtail's own page addresses."""

from hub.page_routes import compare_address

urlpatterns = [compare_address("versions/compare", name="policy_compare")]
