"""The public forms' GOV.UK markup: every control labelled, its hint and error linked to it."""

from bs4 import BeautifulSoup
from django import forms

from hub.form_rendering import DateInput, GovukForm, is_calendar_date


class ExampleForm(GovukForm):
    name = forms.CharField(label="Name", help_text="As it appears on the register.")
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A"), ("b", "B")])
    agree = forms.BooleanField(label="I agree", required=False)
    topics = forms.MultipleChoiceField(
        label="Topics",
        choices=[("x", "X"), ("y", "Y")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    day = forms.DateField(label="Day", widget=DateInput, required=False)


def rendered(form) -> BeautifulSoup:
    return BeautifulSoup(str(form), "html.parser")


def test_each_control_carries_govuk_classes_in_a_form_group():
    page = rendered(ExampleForm())

    assert "govuk-input" in page.find(id="id_name")["class"]
    assert "govuk-select" in page.find(id="id_kind")["class"]
    assert "govuk-checkboxes__input" in page.find(id="id_agree")["class"]
    assert [box["class"] for box in page.select("input[name=topics]")] == [
        ["govuk-checkboxes__input"],
        ["govuk-checkboxes__input"],
    ]
    assert page.find(id="id_day")["class"] == ["govuk-input", "govuk-input--width-10"]
    assert len(page.select(".govuk-form-group")) == 5
    for control in page.select("input, select"):
        assert page.find("label", attrs={"for": control["id"]}), control["id"]


def test_a_hint_and_an_error_are_linked_to_their_control():
    form = ExampleForm({"name": "", "kind": "a"})
    assert not form.is_valid()
    page = rendered(form)

    name = page.find(id="id_name")
    described = name["aria-describedby"].split()
    assert [page.find(id=part).get_text(" ", strip=True) for part in described] == [
        "As it appears on the register.",
        "Error: This field is required.",
    ]
    assert "govuk-input--error" in name["class"]
    assert "govuk-form-group--error" in name.find_parent("div")["class"]


def test_a_day_that_is_not_a_date_is_shown_as_typed_in_a_text_box():
    form = ExampleForm({"name": "Sam", "kind": "a", "day": "2015-02-30"})
    assert not form.is_valid()
    day = rendered(form).find(id="id_day")

    assert (day["type"], day["value"]) == ("text", "2015-02-30")
    valid = rendered(ExampleForm({"day": "2015-02-28"})).find(id="id_day")
    assert (valid["type"], valid["value"]) == ("date", "2015-02-28")


def test_a_calendar_date_is_a_real_day_written_year_month_day():
    assert is_calendar_date("") and is_calendar_date(None) and is_calendar_date("2016-02-29")
    assert not is_calendar_date("2015-02-29")
    assert not is_calendar_date("1/2/2015")
    assert not is_calendar_date("2015-1-2")
