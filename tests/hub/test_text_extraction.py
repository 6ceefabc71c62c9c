"""Reading attached documents' text: real PDF, Word and OpenDocument files made here, and
files that are damaged, hostile or too big, which come back with a reason, never an error."""

import logging
import os
import re
import zipfile
from pathlib import Path

from docx import Document
from odf.opendocument import OpenDocumentSpreadsheet, OpenDocumentText
from odf.table import Table, TableCell, TableRow
from odf.text import H, P, S
from pypdf import PdfWriter

from hub.text_extraction import extract
from tests import documents

WORDS = ("zephyrine", "quokkalith", "brumblefax")


def make_pdf(path: Path, words=WORDS) -> Path:
    path.write_bytes(
        documents.pdf(
            *(f"The   word on this page is {word}.\nMinutes of the panel." for word in words)
        )
    )
    return path


def make_docx(path: Path) -> Path:
    document = Document()
    document.add_heading("Threshold   document", level=1)
    document.add_paragraph("Before the break comes the marmoset.")
    document.add_page_break()
    document.add_paragraph("After the break comes the ocelot.")
    document.save(path)
    return path


def rezip(source: Path, target: Path, replacing: dict[str, bytes]) -> Path:
    """A copy of the zip ``source`` with some members' bytes replaced."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for member in original.infolist():
            copy.writestr(member, replacing.get(member.filename, original.read(member)))
    return target


def test_a_pdf_comes_back_page_by_page_in_order(tmp_path):
    extracted = extract(make_pdf(tmp_path / "threshold.pdf"))

    assert extracted.available
    assert extracted.problem == ""
    assert len(extracted.pages) == 3
    for page, word in zip(extracted.pages, WORDS, strict=True):
        assert f"The word on this page is {word}." in page
        assert [other for other in WORDS if other in page] == [word]
        assert "\f" not in page


def test_a_word_document_is_split_at_its_page_breaks(tmp_path):
    extracted = extract(make_docx(tmp_path / "threshold.docx"))

    assert extracted.available
    assert len(extracted.pages) == 2
    first, second = extracted.pages
    assert first == "Threshold document\nBefore the break comes the marmoset."
    assert "ocelot" in second and "marmoset" not in second


def test_an_opendocument_text_is_read_as_one_page(tmp_path):
    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text="Neglect strategy"))
    paragraph = P(text="The pangolin")
    paragraph.addElement(S(c=4))
    paragraph.addText("was seen.")
    document.text.addElement(paragraph)
    document.save(str(tmp_path / "strategy.odt"))

    extracted = extract(tmp_path / "strategy.odt")

    assert extracted.available
    assert extracted.pages == ("Neglect strategy\nThe pangolin was seen.",)


def test_an_opendocument_spreadsheet_is_read_sheet_by_sheet(tmp_path):
    document = OpenDocumentSpreadsheet()
    for name, word in (("Actions", "wombat"), ("Risks", "narwhal")):
        sheet, row, cell = Table(name=name), TableRow(), TableCell()
        cell.addElement(P(text=f"Owner: {word}"))
        row.addElement(cell)
        sheet.addElement(row)
        document.spreadsheet.addElement(sheet)
    document.save(str(tmp_path / "plan.ods"))

    assert extract(tmp_path / "plan.ods").pages == ("Owner: wombat", "Owner: narwhal")


def test_the_kind_is_told_by_the_content_not_the_name(tmp_path):
    misnamed = tmp_path / "notes.docx"
    misnamed.write_bytes(make_pdf(tmp_path / "threshold.pdf").read_bytes())
    picture = tmp_path / "picture.pdf"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    noise = tmp_path / "noise.pdf"
    noise.write_bytes(os.urandom(4096))

    assert "zephyrine" in extract(misnamed).pages[0]
    for path in (picture, noise):
        extracted = extract(path)
        assert not extracted.available
        assert extracted.pages == ()
        assert extracted.problem == "The file is not a PDF, Word or OpenDocument file."


def test_a_pdf_protected_by_a_password_is_not_available(tmp_path):
    writer = PdfWriter(clone_from=make_pdf(tmp_path / "plain.pdf"))
    writer.encrypt(user_password="secret", owner_password="owner")
    writer.write(tmp_path / "locked.pdf")

    extracted = extract(tmp_path / "locked.pdf")

    assert not extracted.available
    assert extracted.problem == "The PDF is protected by a password."


def test_a_pdf_encrypted_only_against_changes_is_read(tmp_path):
    writer = PdfWriter(clone_from=make_pdf(tmp_path / "plain.pdf"))
    writer.encrypt(user_password="", owner_password="owner")
    writer.write(tmp_path / "no-editing.pdf")

    assert "brumblefax" in extract(tmp_path / "no-editing.pdf").pages[2]


def test_a_truncated_pdf_never_raises(tmp_path):
    whole = make_pdf(tmp_path / "whole.pdf").read_bytes()
    (tmp_path / "half.pdf").write_bytes(whole[: len(whole) // 2])

    extracted = extract(tmp_path / "half.pdf")

    assert extracted.problem or all(isinstance(page, str) for page in extracted.pages)


def test_a_word_document_with_garbage_inside_is_not_available(tmp_path):
    corrupt = rezip(
        make_docx(tmp_path / "good.docx"),
        tmp_path / "corrupt.docx",
        {"word/document.xml": b"<w:document><w:body>\x00\xff not xml"},
    )

    extracted = extract(corrupt)

    assert not extracted.available
    assert extracted.problem == "The file is damaged or not a PDF, Word or OpenDocument file."


def test_a_pdf_of_more_pages_than_the_limit_is_not_read(tmp_path):
    writer = PdfWriter()
    for _ in range(600):
        writer.add_blank_page(width=72, height=72)
    writer.write(tmp_path / "long.pdf")

    extracted = extract(tmp_path / "long.pdf")

    assert not extracted.available
    assert extracted.problem == "It has 600 pages; the limit is 500."


def test_a_file_over_the_size_limit_is_not_opened(tmp_path, settings):
    settings.HUB_EXTRACT_MAX_BYTES = 1000
    path = make_pdf(tmp_path / "threshold.pdf")

    extracted = extract(path)

    assert not extracted.available
    assert extracted.problem.endswith("; the limit is 1,000 bytes.")
    assert extracted.problem.startswith("It is ")


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    bomb = tmp_path / "bomb.docx"
    with (
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/document.xml", "w", force_zip64=True) as member,
    ):
        spaces = b" " * 2**20
        for _ in range(300):
            member.write(spaces)
    assert bomb.stat().st_size < 1024 * 1024

    extracted = extract(bomb)

    # Refused by the sizes the zip declares: nothing was unpacked to find this out.
    assert not extracted.available
    assert extracted.problem == (
        "It unpacks to 300 MB, more than the 200 MB allowed: "
        "it looks like a zip bomb, a file made to fill the server."
    )


def test_a_part_packed_far_too_tightly_is_refused(tmp_path):
    packed = rezip(
        make_docx(tmp_path / "good.docx"),
        tmp_path / "packed.docx",
        {"word/document.xml": b" " * 20 * 2**20},
    )

    extracted = extract(packed)

    # 20 MB is well under the 200 MB unpacked in all; it is the packing that gives it away.
    assert not extracted.available
    assert re.fullmatch(
        r"Part of it unpacks to [\d,]+ times its packed size: "
        r"it looks like a zip bomb, a file made to fill the server\.",
        extracted.problem,
    )


def test_reading_past_the_time_limit_is_stopped(tmp_path, settings):
    settings.HUB_EXTRACT_SECONDS = 0.001

    extracted = extract(make_pdf(tmp_path / "threshold.pdf"))

    assert not extracted.available
    assert extracted.problem == "Reading it took longer than 0.001 seconds."


def test_a_file_that_asks_for_more_memory_than_allowed_is_stopped(tmp_path, settings):
    # Two thousand million spaces in one <text:s/>: the reader would build them all.
    settings.HUB_EXTRACT_MEMORY_MB = 256
    document = OpenDocumentText()
    paragraph = P(text="Spaces follow:")
    paragraph.addElement(S(c=2_000_000_000))
    document.text.addElement(paragraph)
    document.save(str(tmp_path / "spaces.odt"))

    extracted = extract(tmp_path / "spaces.odt")

    assert not extracted.available
    assert extracted.problem == "Reading it needed more than 256 MB of memory."


def test_text_past_the_character_limit_is_cut_keeping_whole_pages_before_it(tmp_path, settings):
    whole = extract(make_pdf(tmp_path / "threshold.pdf")).pages
    settings.HUB_EXTRACT_MAX_CHARS = len(whole[0]) + 10

    cut = extract(tmp_path / "threshold.pdf")

    assert cut.available
    assert cut.pages == (whole[0], whole[1][:10])


def test_a_missing_file_is_not_available(tmp_path):
    extracted = extract(tmp_path / "gone.pdf")

    assert not extracted.available
    assert extracted.problem == "The file could not be found."


def test_a_file_that_fails_is_logged_once_by_name_without_its_text(tmp_path, caplog):
    writer = PdfWriter(clone_from=make_pdf(tmp_path / "plain.pdf"))
    writer.encrypt(user_password="secret")
    writer.write(tmp_path / "locked-minutes.pdf")
    caplog.set_level(logging.INFO, logger="hub.text_extraction")

    extract(tmp_path / "plain.pdf")
    extract(tmp_path / "locked-minutes.pdf")

    assert [(record.levelname, record.getMessage()) for record in caplog.records] == [
        ("WARNING", "No text from locked-minutes.pdf: The PDF is protected by a password.")
    ]
    assert "zephyrine" not in caplog.text
