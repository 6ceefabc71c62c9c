"""Comparing two versions' text."""

from hub.diff import diff_lines, rich_text_lines


def changes(old, new):
    return [
        (line.change, str(line.html)) for line in diff_lines(old, new) if line.change != "equal"
    ]


def test_an_edited_line_marks_the_changed_words():
    [(change, html)] = changes(["Decide within 48 hours."], ["Decide within 24 hours."])

    assert change == "changed"
    assert "<del>" in html and "48" in html
    assert "<ins>" in html and "24" in html
    assert "[deleted: " in html and "[inserted: " in html


def test_new_and_removed_lines():
    result = changes(["Keep.", "Remove me entirely."], ["Keep.", "A brand new paragraph here."])

    assert [change for change, _ in result] == ["deleted", "inserted"]


def test_identical_text_has_no_changes():
    assert changes(["Same."], ["Same."]) == []


def test_text_is_escaped():
    [(_, html)] = changes([], ["<script>alert(1)</script>"])

    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_rich_text_becomes_one_line_per_paragraph_or_item():
    assert rich_text_lines("<p>One</p><ul><li>Two</li><li> Three  words </li></ul>") == [
        "One",
        "Two",
        "Three words",
    ]
