"""The public site's forms in GOV.UK Frontend's markup, from Django's own form templates.

Django renders every field through a field template and a widget template, so one
renderer with GOV.UK templates (``templates/govuk/forms/``) gives every form the design
system's labels, hints, error messages and controls, with no second library to keep
in step with Django. The editors' forms in Wagtail's admin keep Wagtail's renderer:
only forms built on ``GovukForm`` use this one.
"""

import datetime
import re

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

# The GOV.UK class of each kind of control, by Django's widget type.
CONTROL_CLASSES = {
    "select": "govuk-select",
    "textarea": "govuk-textarea",
    "checkbox": "govuk-checkboxes__input",
    "checkboxselectmultiple": "govuk-checkboxes__input",
    "radioselect": "govuk-radios__input",
}
# A widget template of GOV.UK's own for the controls whose markup Django's cannot give.
WIDGET_TEMPLATES = {
    "checkboxselectmultiple": "govuk/forms/widgets/checkboxes.html",
    "radioselect": "govuk/forms/widgets/radios.html",
}
HAS_ERROR_STYLE = {"govuk-input", "govuk-select", "govuk-textarea"}
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def is_calendar_date(value) -> bool:
    """Whether a browser's date box can show ``value``: nothing, a date, or a real day
    written YYYY-MM-DD."""
    if value in (None, "") or isinstance(value, datetime.date):
        return True
    if not ISO_DAY.fullmatch(str(value)):
        return False
    try:
        datetime.date.fromisoformat(str(value))
    except ValueError:
        return False
    return True


class DateInput(forms.DateInput):
    """A date box of GOV.UK's width for a day.

    A value it cannot show it shows as typed, in a text box: a date box would drop it
    and leave an empty box beside the error that asks to mend it.
    """

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__({"class": "govuk-input--width-10", **(attrs or {})}, format="%Y-%m-%d")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if not is_calendar_date(context["widget"]["value"]):
            context["widget"]["type"] = "text"
        return context


class GovukBoundField(BoundField):
    """A field whose control carries GOV.UK's classes, and its error style when it has errors."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        control = CONTROL_CLASSES.get(self.widget_type, "govuk-input")
        # The widget's own classes (a width) would be replaced by these: they join them.
        own = widget.attrs.get("class", "").split()
        classes = [control, *own, *attrs.get("class", "").split()]
        if self.errors and control in HAS_ERROR_STYLE:
            classes.append(f"{control}--error")
        attrs["class"] = " ".join(dict.fromkeys(classes))
        return attrs

    def as_widget(self, widget=None, attrs=None, only_initial=False):
        widget = widget or self.field.widget
        if self.widget_type in WIDGET_TEMPLATES:
            widget.template_name = WIDGET_TEMPLATES[self.widget_type]
        return super().as_widget(widget, attrs, only_initial)


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"
    bound_field_class = GovukBoundField


class GovukForm(forms.Form):
    """A public form: rendered in GOV.UK markup."""

    default_renderer = GovukFormRenderer
