"""Admin forms as a browser would post them: read from the page, then changed by the test."""

from bs4 import BeautifulSoup
from wagtail.test.utils.form_data import nested_form_data, streamfield

SKIPPED_INPUTS = {"submit", "button", "file", "image", "reset"}


def form_values(response, selector: str = "form#page-edit-form") -> dict:
    """The values the form at ``selector`` would post if submitted unchanged."""
    assert response.status_code == 200, response.status_code
    form = BeautifulSoup(response.content, "html.parser").select_one(selector)
    assert form is not None, f"no {selector} on the page"
    values: dict[str, list[str]] = {}
    for field in form.select("input[name], select[name], textarea[name]"):
        name = field["name"]
        if field.name == "textarea":
            values.setdefault(name, []).append(field.text)
        elif field.name == "select":
            options = field.select("option")
            chosen = [o for o in options if o.has_attr("selected")]
            if not chosen and options and not field.has_attr("multiple"):
                chosen = options[:1]
            values.setdefault(name, []).extend(o.get("value", o.text) for o in chosen)
        elif field.get("type", "text") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                values.setdefault(name, []).append(field.get("value", "on"))
        elif field.get("type", "text") not in SKIPPED_INPUTS:
            values.setdefault(name, []).append(field.get("value", ""))
    return {name: found[0] if len(found) == 1 else found for name, found in values.items()}


def add_inline(values: dict, prefix: str, **fields) -> dict:
    """Add one row to the inline formset ``prefix``, as the admin's "Add" button does."""
    number = int(values[f"{prefix}-TOTAL_FORMS"])
    values[f"{prefix}-TOTAL_FORMS"] = str(number + 1)
    values.update({f"{prefix}-{number}-{name}": value for name, value in fields.items()})
    values.setdefault(f"{prefix}-{number}-ORDER", str(number + 1))
    values.setdefault(f"{prefix}-{number}-DELETE", "")
    return values


def errors_beside(response, field_id: str) -> str:
    """The error messages the admin shows beside the field whose input has ``field_id``."""
    page = BeautifulSoup(response.content, "html.parser")
    field = page.find(id=field_id)
    assert field is not None, f"no #{field_id} on the page"
    wrapper = field.find_parent(class_="w-field")
    errors = wrapper.select_one(".w-field__errors") if wrapper else None
    return errors.get_text(" ", strip=True) if errors else ""


def meeting_blocks(agenda=()) -> dict:
    """A meeting's block fields as the editor posts them: these agenda items and no papers.

    The editor draws them with a script, so they are not in the page's HTML to read.
    """
    return nested_form_data({"agenda": streamfield(list(agenda)), "papers": streamfield([])})
