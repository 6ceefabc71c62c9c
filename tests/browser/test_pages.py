"""Every shape of page, as every role sees it: axe-core finds nothing, the Nu HTML Checker
finds no error, nothing scrolls sideways at 320 px but inside a table's own box, and print
shows no control; and the computed styles and layout boxes that once went wrong stay
right. Screenshots of the main pages are left in var/screenshots/.

A page shape is one template with the data that fills it in the demo: the pages people
reach, a form with an error, a page refused. Each role reaches them all; where a role
is refused, the page it is shown instead (sign in, not found) is what is checked.
"""

import hashlib
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from hub import notices
from improvement.models import Inspection, Milestone, Risk
from panels.models import Action
from tests import nu_checker
from tests.browser.conftest import ROLES, assert_accessible, browse_as, signed_in_client

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(settings.BASE_DIR, "var", "screenshots")
NARROW = {"width": 320, "height": 900}
DESKTOP = {"width": 1280, "height": 900}
MASP = "/panels/multi-agency-safeguarding-panel/"
# The parts of a page that differ from one request, or one person, to the next without
# changing what there is to check: two roles shown the same page are checked once.
CHANGING = re.compile(
    r'(name="csrfmiddlewaretoken" value=")[^"]*|(/notifications/stop/)[^/"]*'
    r"|(Signed in as <strong>)[^<]*"
)


def page_shapes() -> dict[str, str]:
    """The address of each shape of page in the demo, by name."""
    action = Action.objects.order_by("pk").first()
    milestone = Milestone.objects.order_by("pk").first()
    risk = Risk.objects.order_by("pk").first()
    inspection = Inspection.objects.order_by("pk").first()
    staff = get_user_model().objects.get(username="staff")
    plan = "/improvement-plan/"
    return {
        "home": "/",
        "sign-in": "/accounts/login/",
        "policies": "/policies/",
        "policy": "/policies/threshold-document/",
        "policy-for-staff": "/policies/transfer-protocol/",
        "policy-versions": "/policies/transfer-protocol/versions/",
        "policy-old-version": "/policies/transfer-protocol/versions/1/",
        "policy-compare": "/policies/transfer-protocol/versions/compare/1...2/",
        "policy-in-force-empty": "/policies/transfer-protocol/?on=",
        "policy-in-force-bad": "/policies/transfer-protocol/?on=2015-02-30",
        "policy-acknowledgements": "/policies/transfer-protocol/acknowledgements/",
        "panels": "/panels/",
        "panel": MASP,
        "meeting": f"{MASP}2015-01-14/",
        "meeting-print": f"{MASP}2015-01-14/print/",
        "meeting-restricted": "/panels/children-review-panel/2015-01-21/",
        "terms-history": f"{MASP}terms/",
        "terms-version": f"{MASP}terms/1/",
        "actions": "/actions/",
        "action": f"/actions/{action.pk}/",
        "upcoming-meetings": "/meetings/upcoming/",
        "plan": plan,
        "milestone": f"{plan}milestones/{milestone.pk}/",
        "risks": f"{plan}risks/",
        "risk": f"{plan}risks/{risk.pk}/",
        "inspection": f"{plan}inspections/{inspection.pk}/",
        "evidence": f"{plan}evidence/",
        "plan-bad-date": f"{plan}?on=2015-13-01",
        "search": "/search/",
        "search-results": "/search/?q=threshold",
        "search-bad-date": "/search/?q=threshold&date_from=2015-02-30",
        "search-nothing-found": "/search/?q=zzyzx",
        "decisions": "/decisions/",
        "glossary": "/glossary/",
        "notifications": "/notifications/",
        "unsubscribe": urlsplit(notices.unsubscribe_url(user_id=staff.pk, topic="digests")).path,
        "not-found": "/no-such-page/",
    }


MAIN_PAGES = [
    "home",
    "policies",
    "policy",
    "policy-versions",
    "policy-compare",
    "panel",
    "meeting",
    "actions",
    "action",
    "upcoming-meetings",
    "plan",
    "milestone",
    "risks",
    "evidence",
    "search-results",
    "decisions",
    "glossary",
]


def shape_of(html: str) -> str:
    return hashlib.sha256(CHANGING.sub(r"\1\2\3", html).encode()).hexdigest()


@pytest.fixture(scope="module")
def shapes(whole_demo_site, django_db_blocker):
    with django_db_blocker.unblock():
        return page_shapes()


def scrolls_sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def overflowing(page) -> list[str]:
    """What sticks out of the page or out of its own box, outside the tables' scroll boxes."""
    return page.evaluate(
        """() => [...document.querySelectorAll('main *, header *, footer *')]
        .filter(el => !el.parentElement.closest('.hub-table-container'))
        .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1
          || (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'visible'))
        .map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''))
        .slice(-5)"""
    )


@pytest.fixture(scope="module")
def served(shapes, django_db_blocker):
    """``served(role)``: the HTML of every page shape as ``role`` is served it, by name,
    asked for once in the module (without a browser: it is what tells the shapes apart)."""
    pages = {}

    def pages_of(role: str) -> dict[str, str]:
        if role not in pages:
            with django_db_blocker.unblock():
                client = signed_in_client(role)
                pages[role] = {
                    name: client.get(address, follow=True).content.decode()
                    for name, address in shapes.items()
                }
        return pages[role]

    return pages_of


@pytest.fixture(scope="module")
def seen():
    """The shapes of page already checked in the browser, by any role."""
    return set()


@pytest.mark.parametrize("role", ROLES)
def test_every_page_shape_is_accessible_and_fits_320_pixels(
    browser, whole_demo_site, shapes, sessions, served, seen, role
):
    context = browse_as(browser, whole_demo_site, sessions.get(role), viewport=DESKTOP)
    page = context.new_page()
    try:
        for name, html in served(role).items():
            shape = shape_of(html)
            if shape in seen:
                continue
            seen.add(shape)
            page.set_viewport_size(DESKTOP)
            page.goto(whole_demo_site.url + shapes[name])
            assert_accessible(page)
            page.set_viewport_size(NARROW)
            assert not scrolls_sideways(page), f"{name} as {role}: {overflowing(page)}"
    finally:
        context.close()


@pytest.mark.skipif(nu_checker.java() is None, reason="the Nu HTML Checker needs Java")
def test_every_page_shape_is_valid_html_for_every_role(served):
    pages = {}
    for role in ROLES:
        for name, html in served(role).items():
            pages.setdefault(shape_of(html), (f"{name} as {role}", html))
    found = nu_checker.errors(dict(pages.values()))

    assert found == {}, "\n".join(f"{name}: {errors[:5]}" for name, errors in found.items())


def test_in_large_print_nothing_scrolls_sideways_at_320_pixels(
    browser, whole_demo_site, shapes, sessions
):
    context = browse_as(browser, whole_demo_site, sessions["secretary"], viewport=NARROW)
    context.add_cookies([{"name": "hub_large_print", "value": "1", "url": whole_demo_site.url}])
    page = context.new_page()
    try:
        for name in MAIN_PAGES:
            page.goto(whole_demo_site.url + shapes[name])
            assert page.evaluate("document.documentElement.classList.contains('large-print')")
            assert not scrolls_sideways(page), f"{name}: {overflowing(page)}"
    finally:
        context.close()


PRINTED_CONTROLS = "form, button, input:not([type=hidden]), select, textarea, .govuk-button"


def test_print_shows_no_control_and_writes_links_out_in_full(
    browser, whole_demo_site, shapes, sessions
):
    context = browse_as(browser, whole_demo_site, sessions["staff"], viewport=DESKTOP)
    page = context.new_page()
    try:
        for name in ["home", "policy-for-staff", "search-results", "actions", "evidence"]:
            page.goto(whole_demo_site.url + shapes[name])
            assert page.locator(PRINTED_CONTROLS).count() > 0, f"{name} has no control to hide"
            page.emulate_media(media="print")
            # A browser fetches print stylesheets without holding the page's load for them.
            page.wait_for_function(
                "getComputedStyle(document.documentElement).getPropertyValue('--hub-origin')"
            )
            shown = [
                control.evaluate("el => el.outerHTML.slice(0, 80)")
                for control in page.locator(PRINTED_CONTROLS).all()
                if control.is_visible()
            ]
            assert shown == [], f"{name} prints {shown}"
            written_out = page.locator("main a[href^='/']").first.evaluate(
                "a => getComputedStyle(a, '::after').content"
            )
            assert written_out.startswith(f'" ({whole_demo_site.url}/'), written_out
            page.emulate_media(media="screen")
    finally:
        context.close()


def test_screenshots_of_the_main_pages_are_left_for_a_person(
    browser, whole_demo_site, shapes, sessions
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browse_as(browser, whole_demo_site, sessions["secretary"], viewport=DESKTOP)
    page = context.new_page()
    try:
        for name in MAIN_PAGES:
            page.goto(whole_demo_site.url + shapes[name])
            for width, viewport in (("1280", DESKTOP), ("320", NARROW)):
                page.set_viewport_size(viewport)
                path = SCREENSHOTS / f"{name}-{width}.png"
                page.screenshot(path=path, full_page=True)
                assert path.stat().st_size > 0
            page.set_viewport_size(DESKTOP)
    finally:
        context.close()


# What the pages look like, measured: the seams of the old hand-made styles stay mended.

FOCUS_YELLOW = "rgb(255, 221, 0)"


def relative_luminance(rgb: str) -> float:
    channels = [int(part) / 255 for part in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def style(locator, prop: str, pseudo: str | None = None) -> str:
    return locator.evaluate(
        "(el, [prop, pseudo]) => getComputedStyle(el, pseudo).getPropertyValue(prop)",
        [prop, pseudo],
    )


@pytest.fixture
def as_secretary(browser, whole_demo_site, sessions):
    viewport = {"width": 1280, "height": 900}
    context = browse_as(browser, whole_demo_site, sessions["secretary"], viewport=viewport)
    page = context.new_page()
    yield page
    context.close()


def test_the_large_print_switch_stands_out_from_the_footer(as_secretary, whole_demo_site):
    page = as_secretary
    page.goto(whole_demo_site.url + "/")
    switch = page.get_by_role("button", name="Switch to large print")
    footer = page.locator("footer")

    against_footer = contrast(style(switch, "background-color"), style(footer, "background-color"))
    assert against_footer >= 3, f"the switch is {against_footer:.1f}:1 against the footer"
    assert contrast(style(switch, "color"), style(switch, "background-color")) >= 4.5


def test_search_results_read_cleanly(as_secretary, whole_demo_site):
    page = as_secretary
    page.goto(whole_demo_site.url + "/search/?q=threshold")

    facts = page.locator(".hub-result__facts li")
    assert facts.count() > 0
    assert {style(fact, "border-bottom-width") for fact in facts.all()} == {"0px"}
    match = page.locator(".hub-result mark").first
    assert style(match, "background-color") != FOCUS_YELLOW
    controls = page.locator(".hub-options select, .hub-options input:not([type=checkbox])")
    boxes = [control.bounding_box() for control in controls.all()]
    bottoms = {round(box["y"] + box["height"]) for box in boxes}
    assert len(bottoms) == 1, f"the options row sits on {len(bottoms)} baselines"


def test_tags_stay_on_one_line_and_clear_of_headings(as_secretary, whole_demo_site):
    page = as_secretary
    page.goto(whole_demo_site.url + "/actions/?overdue=1")
    overdue = page.locator("main .govuk-tag", has_text="overdue").first
    line_height = float(style(overdue, "font-size").removesuffix("px")) * 1.6
    assert overdue.bounding_box()["height"] < 2 * line_height

    page.goto(whole_demo_site.url + "/policies/threshold-document/")
    heading = page.get_by_role("heading", level=1).bounding_box()
    for tag in page.locator("main .govuk-tag").all():
        box = tag.bounding_box()
        below = box["y"] >= heading["y"] + heading["height"]
        above = box["y"] + box["height"] < heading["y"] - 4
        assert below or above, "a tag touches the page heading"


def test_progress_bars_are_in_the_brand_colour(as_secretary, whole_demo_site):
    page = as_secretary
    page.goto(whole_demo_site.url + "/improvement-plan/")
    bars = page.locator("progress")
    assert bars.count() > 0
    brand = page.evaluate(
        """() => {
          const probe = document.createElement("span");
          probe.style.color = "var(--govuk-brand-colour)";
          document.body.append(probe);
          const colour = getComputedStyle(probe).color;
          probe.remove();
          return colour;
        }"""
    )
    assert style(bars.first, "accent-color") == brand


def test_the_decision_register_uses_the_page_width(as_secretary, whole_demo_site):
    page = as_secretary
    page.goto(whole_demo_site.url + "/decisions/")
    main = page.locator("main").bounding_box()
    table = page.locator("main table").first.bounding_box()
    assert table["width"] >= 0.9 * main["width"]


def test_an_error_summary_takes_the_focus_and_leads_to_its_field(as_secretary, whole_demo_site):
    page = as_secretary
    page.goto(whole_demo_site.url + "/search/?q=threshold&date_from=2015-02-30")

    summary = page.locator(".govuk-error-summary")
    assert summary.evaluate("summary => summary.contains(document.activeElement)")
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_date_from"
