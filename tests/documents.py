"""Real PDF, Word and OpenDocument files, built in the tests by the libraries that read them."""

import io

import docx
from odf.opendocument import OpenDocumentText
from odf.text import P
from pypdf import PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


def pdf(*pages: str) -> bytes:
    """A PDF with a page for each text given, a line of the page for each line of the text."""
    output = io.BytesIO()
    document = canvas.Canvas(output, pagesize=A4)
    for text in pages:
        for number, line in enumerate(text.splitlines()):
            document.drawString(72, 760 - 20 * number, line)
        document.showPage()
    document.save()
    return output.getvalue()


def encrypted_pdf(text: str, *, password: str = "s3cret") -> bytes:
    """A PDF that opens only with a password."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf(text)))
    writer.encrypt(user_password=password, owner_password=password)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def word(*paragraphs: str) -> bytes:
    """A Word (.docx) file with these paragraphs."""
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def opendocument(*paragraphs: str) -> bytes:
    """An OpenDocument text (.odt) file with these paragraphs."""
    document = OpenDocumentText()
    for text in paragraphs:
        document.text.addElement(P(text=text))
    output = io.BytesIO()
    document.write(output)
    return output.getvalue()
