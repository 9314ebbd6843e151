"""``kzreport import``: a Word document or published plain text made into a paper's source."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING

from kzreport.errors import KzreportError, Problem, SourceError
from kzreport.importing.assemble import Paper
from kzreport.model import Author, Blocks, Footnote, Metadata
from kzreport.records import record

if TYPE_CHECKING:
    from kzreport.importing.titles import Labels

#: The signature of a zip package (a .docx) and of an OLE file (an encrypted .docx or a .doc).
_ZIP, _OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0"


@record(frozen=False)
class Warnings:
    """The located warnings of one import: at most one per message and place."""

    path: Path
    #: What the numbers count: paragraphs of a Word document, lines of a text.
    unit: str = "paragraph"
    items: list[Problem] = field(default_factory=list)

    def at(self, number: int | None, text: str, message: str) -> None:
        words = text.split()
        quoted = f' ("{" ".join(words[:6])}{"…" if len(words) > 6 else ""}")' if words else ""
        where = f"{self.unit} {number}{quoted}: " if number is not None else ""
        # A warning about the whole file (no title found) is put on its first line.
        problem = Problem(self.path, number or 1, where + message, severity="warning")
        if problem not in self.items:
            self.items.append(problem)


def import_paper(path: Path, out: Path, layout_spec: str | None, cwd: Path,
                 force: bool = False) -> list[Problem]:
    """Write the source of the paper in ``path`` (a .docx or plain text) to ``out``, its
    pictures to ``images/`` beside it; return the warnings. Raises ``KzreportError`` when
    nothing could be imported, and ``SourceError`` (after writing) when the written source
    needs fixing before it builds."""
    from kzreport.importing.titles import known_labels
    from kzreport.layout_loader import load_layout

    if out.exists() and not force:
        raise KzreportError([Problem(out, 1, "the output already exists",
                                     "pass --force to replace it, or -o another path")])
    layout = load_layout(layout_spec, cwd, referrer="import") if layout_spec else None
    labels = known_labels(cwd, layout)
    warnings = Warnings(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".kzreport-import-", dir=out.parent) as temp:
        staging = Path(temp)
        images = _ImageSaver(staging, out.stem)
        paper = _read(path, labels, warnings, images)
        meta = _metadata(paper, path, warnings, layout_spec)
        # A paper without a Key Points section imports as an information paper.
        blocks = tuple(paper.blocks)
        text, problems = _written(meta, blocks, paper.footnotes, staging / out.name, warnings)
        final = out.parent / "images"
        for name in images.names:
            final.mkdir(exist_ok=True)
            os.replace(staging / "images" / name, final / name)
        out.write_text(text, encoding="utf-8")
    if problems:  # the import's own warnings are printed too, before what needs fixing
        raise SourceError([*warnings.items, *(Problem(out, p.line, p.message, p.hint, p.column)
                                              for p in problems)])
    return warnings.items


def _read(path: Path, labels: Labels, warnings: Warnings, images: _ImageSaver) -> Paper:
    try:
        with path.open("rb") as handle:
            head = handle.read(4)
    except OSError as exc:
        raise KzreportError([Problem(path, 1, f"cannot read file: {exc.strerror}",
                                     "check the path and its permissions")]) from None
    if head in (_ZIP, _OLE) or path.suffix.lower() in (".docx", ".docm", ".dotx"):
        from kzreport.importing.assemble import assemble
        from kzreport.importing.docx import read_word
        from kzreport.importing.package import Package, PackageProblem

        try:
            package = Package(path)
            try:
                word = read_word(package, labels.mono)
            finally:
                package.close()
        except PackageProblem as exc:
            raise KzreportError([Problem(path, 1, exc.message, exc.hint)]) from None
        return assemble(word, labels, warnings.at, images.save)
    from kzreport.importing.text import read_text

    warnings.unit = "line"
    return read_text(path, labels, warnings.at)


class _ImageSaver:
    """Writes pictures, after checking them as a source's figures are checked, to
    ``images/STEM-N.ext`` in the staging folder."""

    def __init__(self, staging: Path, stem: str) -> None:
        self.folder = staging / "images"
        self.stem = stem
        self.names: list[str] = []

    def save(self, data: bytes, name: str) -> Path | str:
        from kzreport.assets import IMAGE_FORMATS, image_problem

        self.folder.mkdir(exist_ok=True)
        trial = self.folder / f".{name}"
        trial.write_bytes(data)
        if problem := image_problem(trial):
            trial.unlink()
            return problem
        from PIL import Image

        with Image.open(trial) as image:
            extension = {"jpeg": "jpg", "tiff": "tif"}.get(IMAGE_FORMATS[str(image.format)],
                                                          IMAGE_FORMATS[str(image.format)])
        final = f"{self.stem}-{name}.{extension}"
        trial.rename(self.folder / final)
        self.names.append(final)
        # The figure's path is where the picture will be, beside the written source.
        return self.folder / final


def _metadata(paper: Paper, path: Path, warnings: Warnings, layout: str | None) -> Metadata:
    from kzreport.importing.found import clean_text

    def text(value: str | None) -> str | None:
        return " ".join(clean_text(value).split()) or None if value else None

    title = text(paper.title)
    if title is None:
        title = path.stem
        warnings.at(None, "", f"no title found (a Title-styled paragraph or the Title "
                    f"property); the file name '{title}' is used — write the title")
    authors = tuple(Author(n, text(a.affiliation)) for a in paper.authors
                    if (n := text(a.name)))
    if not authors:
        authors = (Author("Unknown author"),)
        warnings.at(None, "", "no author found (a \"By:\" line or the Author property); "
                    "'Unknown author' written — name the authors")
    date = paper.date
    if date is None:
        date = dt.date.today()
        warnings.at(None, "", f"no date found under the title; today, {date.isoformat()}, "
                    "written — set the paper's date")
    return Metadata(title=title, authors=authors, date=date, subtitle=text(paper.subtitle),
                    organization=text(paper.organization), summary=text(paper.summary),
                    links=paper.links, disclaimer=text(paper.disclaimer), marking=paper.marking,
                    language=paper.language or "en-US", keywords=paper.keywords, layout=layout)


def _written(meta: Metadata, blocks: Blocks, footnotes: tuple[Footnote, ...], staged: Path,
             warnings: Warnings) -> tuple[str, list[Problem]]:
    """The source text, and the problems of parsing it back; a part that reads back
    differently from what was meant is a warning."""
    from kzreport.anchors import anchored
    from kzreport.importing.found import with_normalized_links
    from kzreport.importing.markdown import write_source
    from kzreport.importing.roundtrip import differences
    from kzreport.source import parse_source
    from kzreport.source_checks import Problems

    # Headings without an identifier get the automatic one, as the parser will give them.
    blocks = anchored(blocks, (), Problems(staged))
    blocks, footnotes = with_normalized_links((blocks, footnotes))
    text = write_source(meta, blocks, staged.parent, footnotes)
    try:
        document = parse_source(text, staged)
    except SourceError as exc:
        return text, list(exc.problems)
    for where in differences((meta, blocks, footnotes), document):
        warnings.at(None, "", f"{where} of the written source reads back differently from "
                    "the document — compare the two there")
    return text, []
