"""The shared components in GOV.UK Frontend's markup: error summaries, pagination, tags,
histories and comparisons."""

import datetime
import re

from django import forms
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.utils import timezone

from hub.diff import changes_in, diff_lines
from improvement.progress import Progress, Rag


class DateForm(forms.Form):
    date = forms.DateField()

    def clean(self):
        raise forms.ValidationError("Choose a date in the plan's lifetime.")


def test_the_error_summary_links_each_error_to_its_field_in_govuk_markup():
    form = DateForm({"date": "not a date"})
    form.is_valid()

    html = render_to_string(
        "components/error_summary.html", {"form": form, "first_field": "id_date"}
    )

    assert '<div class="govuk-error-summary" data-module="govuk-error-summary">' in html
    assert '<div role="alert">' in html
    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in html
    assert '<ul class="govuk-list govuk-error-summary__list">' in html
    assert '<a href="#id_date">Enter a valid date.</a>' in html
    assert '<a href="#id_date">Choose a date in the plan&#x27;s lifetime.</a>' in html


def test_no_error_summary_without_errors():
    assert render_to_string("components/error_summary.html", {"form": DateForm()}).strip() == ""


def test_a_single_problem_is_a_govuk_error_summary_linking_to_its_field():
    html = render_to_string(
        "components/problem_summary.html", {"problem": "Enter a real date", "field_id": "as-at"}
    )

    assert 'class="govuk-error-summary"' in html
    assert '<li><a href="#as-at">Enter a real date</a></li>' in html
    assert "error-summary__title" in html and 'role="alert"' in html


def page_of(number, *, pages=3):
    return Paginator(list(range(pages * 10)), 10).page(number)


def test_pagination_is_govuks_with_previous_and_next_keeping_the_query():
    html = render_to_string(
        "components/pagination.html",
        {"items": page_of(2), "query": "q=threshold", "label": "Pages of results"},
    )

    assert (
        '<nav class="govuk-pagination govuk-pagination--block" aria-label="Pages of results">'
        in html
    )
    assert '<p class="govuk-body-s">Page 2 of 3 (30 in all)</p>' in html
    previous = html.split('<div class="govuk-pagination__prev">')[1].split("</div>")[0]
    following = html.split('<div class="govuk-pagination__next">')[1].split("</div>")[0]
    assert 'href="?q=threshold&amp;page=1" rel="prev"' in previous
    assert 'Previous<span class="govuk-visually-hidden"> page</span>' in previous
    assert 'href="?q=threshold&amp;page=3" rel="next"' in following
    assert 'Next<span class="govuk-visually-hidden"> page</span>' in following


def test_pagination_uses_its_own_parameter_and_leaves_out_what_is_not_there():
    first = render_to_string(
        "components/pagination.html", {"items": page_of(1), "param": "actions"}
    )
    assert 'aria-label="Pages"' in first
    assert 'href="?actions=2" rel="next"' in first
    assert "govuk-pagination__prev" not in first

    last = render_to_string("components/pagination.html", {"items": page_of(3)})
    assert 'href="?page=2" rel="prev"' in last
    assert "govuk-pagination__next" not in last

    one = render_to_string("components/pagination.html", {"items": page_of(1, pages=1)})
    assert one.strip() == ""


def test_rag_statuses_are_govuk_tags_in_their_colours():
    classes = {
        Rag.RED: "govuk-tag govuk-tag--red",
        Rag.AMBER: "govuk-tag govuk-tag--yellow",
        Rag.GREEN: "govuk-tag govuk-tag--green",
        Rag.COMPLETE: "govuk-tag",
    }
    for status, tag in classes.items():
        html = render_to_string(
            "components/rag_tag.html", {"progress": Progress(status, "Because.")}
        ).strip()
        assert html == f'<strong class="{tag}">{status.label}</strong>'

    overridden = render_to_string(
        "components/rag_tag.html", {"progress": Progress(Rag.AMBER, "Set.", overridden=True)}
    )
    assert "Amber (set by a manager)</strong>" in overridden


def test_the_timeline_uses_the_hubs_classes_and_says_what_changed_in_words():
    when = timezone.make_aware(datetime.datetime(2015, 3, 11, 14, 30, 15, 123456))
    entries = [
        {"when": when, "who": "Sam", "created": True, "changes": [], "reason": ""},
        {
            "when": when,
            "who": "Alex",
            "created": False,
            "reason": "Acting up",
            "changes": [{"field": "Likelihood", "old": "Medium", "new": "High"}],
        },
        {"when": when, "who": "Jo", "created": False, "changes": [], "reason": ""},
        {"when": when, "withheld": True, "created": False},
    ]

    html = render_to_string(
        "components/timeline.html", {"entries": entries, "created_verb": "recorded"}
    )

    assert html.count('<li class="hub-timeline__entry">') == 4
    assert '<ol class="hub-timeline">' in html
    assert set(re.findall(r'<time datetime="([^"]+)"', html)) == {"2015-03-11T14:30:15+00:00"}
    assert (
        'Likelihood: <del><span class="govuk-visually-hidden">was </span>Medium</del> → '
        '<ins><span class="govuk-visually-hidden">now </span>High</ins>'
    ) in html
    assert "<strong>Why:</strong> Acting up" in html
    assert "Saved with no change to its fields." in html
    assert "narrower audience than yours" in html
    assert 'class="govuk-heading-s' in html
    assert 'class="hint"' not in html and "list-plain" not in html


def test_the_comparison_marks_lines_with_the_hubs_classes():
    lines = diff_lines(["Same line.", "Old words here."], ["Same line.", "New words here."])

    html = render_to_string(
        "components/diff.html",
        {"lines": lines, "changes": changes_in(lines), "old_number": 1, "new_number": 2},
    )

    assert (
        '<ol class="hub-diff" aria-label="Text of version 2 with changes from version 1 marked">'
        in html
    )
    assert '<li class="hub-diff__line hub-diff__line--equal">Same line.</li>' in html
    assert (
        '<li class="hub-diff__line hub-diff__line--changed">'
        '<span class="hub-diff__marker">Changed line:</span>'
    ) in html
    assert "1 line changed." in html


def test_a_comparison_without_changes_says_so_in_an_inset():
    lines = diff_lines(["Same line."], ["Same line."])

    html = render_to_string(
        "components/diff.html", {"lines": lines, "changes": 0, "old_number": 1, "new_number": 2}
    )

    assert '<p class="govuk-inset-text">The text is the same in both versions.</p>' in html
    assert "hub-diff__line" not in html
