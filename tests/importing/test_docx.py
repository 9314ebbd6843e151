"""Word documents written by other hands: styles in other languages, and every construct the
source cannot hold, kept as text where it has any and reported once with where it is."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from conftest import ROOT, require_tool
from importing.word_files import BULLETS, GERMAN_STYLES, REL, p, word_file
from kzreport.errors import KzreportError, Problem
from kzreport.importing import import_paper
from kzreport.model import (
    DefinitionList,
    Document,
    Figure,
    Heading,
    Inlines,
    KeyPoints,
    ListBlock,
    PageBreak,
    Paragraph,
    Quote,
    inline_contents,
    links,
    plain_text,
)
from kzreport.source import read_source

WARNING = re.compile(r"^.+?(:[1-9]\d*)?: warning: \S.*? — \S.*$")


def imported(tmp_path: Path, body: str, **kwargs: object) -> tuple[str, list[Problem]]:
    source = word_file(tmp_path / "paper.docx", body, **kwargs)  # type: ignore[arg-type]
    out = tmp_path / "source" / "paper.md"
    warnings = import_paper(source, out, None, tmp_path)
    for warning in warnings:
        assert WARNING.fullmatch(str(warning)), str(warning)
    read_source(out)  # the written source is valid
    return out.read_text(encoding="utf-8"), warnings


def test_german_styles_by_id_name_and_outline_level(tmp_path: Path) -> None:
    body = (p("Kasachstans Position", "Titel") + p("Eine Analyse", "Untertitel")
            + p("Von: Dr. Anna Berg, Zentrum für Sicherheit") + p("3. Juni 2022")
            + p("Einleitung", "berschrift1") + p("Text der Einleitung.")
            + p("Unterabschnitt", "berschrift2") + p("Ein Zitat.", "Zitat")
            + p("Kernpunkte", "berschrift1") + p("Erster Punkt.", "Aufzhlungszeichen")
            + p("Zweiter Punkt.", "Aufzhlungszeichen"))
    imported(tmp_path, body, styles=GERMAN_STYLES, numbering=BULLETS,
                              core="<dc:created>2022-06-03T00:00:00Z</dc:created>")
    document = read_source(tmp_path / "source" / "paper.md")
    assert document.meta.title == "Kasachstans Position"
    assert document.meta.subtitle == "Eine Analyse"
    assert document.meta.language == "de-DE"
    assert [(a.name, a.affiliation) for a in document.meta.authors] == [
        ("Dr. Anna Berg", "Zentrum für Sicherheit")]
    headings = [(b.level, plain_text(b.inlines)) for b in document.blocks
                if isinstance(b, Heading)]
    assert headings == [(2, "Einleitung"), (3, "Unterabschnitt")]
    assert any(isinstance(b, Quote) for b in document.blocks)
    points = document.key_points
    assert points.title == "Kernpunkte"
    assert [plain_text(x.inlines) for x in points.points] == ["Erster Punkt.", "Zweiter Punkt."]


def test_russian_outline_levels_and_numbering_start(tmp_path: Path) -> None:
    styles = GERMAN_STYLES.replace('w:val="heading 1"', 'w:val="Заголовок 1"')
    body = (p("Позиция Казахстана", "Titel") + p("Автор: Иван Петров") + p("2022-06-03")
            + p("Введение", "berschrift1") + p("Текст.")
            + p("Четвёртый", extra='<w:numPr><w:ilvl w:val="0"/><w:numId w:val="2"/></w:numPr>')
            + p("Пятый", extra='<w:numPr><w:ilvl w:val="0"/><w:numId w:val="2"/></w:numPr>')
            + p("Ключевые тезисы", "berschrift1") + p("Один.", "Aufzhlungszeichen"))
    imported(tmp_path, body, styles=styles, numbering=BULLETS)
    document = read_source(tmp_path / "source" / "paper.md")
    assert document.meta.authors[0].name == "Иван Петров"
    lists = [b for b in document.blocks if isinstance(b, ListBlock)]
    assert lists[0].ordered and lists[0].start == 4 and len(lists[0].items) == 2
    assert isinstance(document.blocks[-1], KeyPoints)


FOREIGN = {
    "text box": ('<w:p><w:r><w:t>Before box.</w:t></w:r><w:r><w:drawing><wp:anchor>'
                 '<wp:docPr id="1" name="Text Box 1"/><a:graphic><a:graphicData uri="x">'
                 '<wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>Boxed words.</w:t></w:r>'
                 '</w:p></w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic>'
                 '</wp:anchor></w:drawing></w:r></w:p>', ["Before box.", "Boxed words."]),
    "comment": ('<w:p><w:commentRangeStart w:id="0"/><w:r><w:t>Commented text.</w:t></w:r>'
                '<w:commentRangeEnd w:id="0"/></w:p>', ["Commented text."]),
    "tracked changes": ('<w:p><w:r><w:t xml:space="preserve">Kept </w:t></w:r><w:ins w:id="1">'
                        '<w:r><w:t>inserted</w:t></w:r></w:ins><w:del w:id="2"><w:r>'
                        '<w:delText>deleted</w:delText></w:r></w:del></w:p>', ["Kept inserted"]),
    "field": ('<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> DATE '
              '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r>'
              '<w:t>3 June 2022</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>',
              ["3 June 2022"]),
    "drop cap": (p("T", extra='<w:framePr w:dropCap="drop" w:lines="3"/>')
                 + p("he paragraph after the drop cap."),
                 ["The paragraph after the drop cap."]),
    "equation": ('<w:p><w:r><w:t xml:space="preserve">Energy </w:t></w:r><m:oMath><m:r>'
                 '<m:t>E=mc2</m:t></m:r></m:oMath></w:p>', ["Energy E=mc2"]),
    "endnote": ('<w:p><w:r><w:t>Claim.</w:t></w:r><w:r><w:endnoteReference w:id="1"/></w:r>'
                '</w:p>', ["Claim."]),
    "internal link": ('<w:p><w:hyperlink w:anchor="_Toc1"><w:r><w:t>See Annex</w:t></w:r>'
                      '</w:hyperlink></w:p>', ["See Annex"]),
    "chart": ('<w:p><w:r><w:t>Chart here.</w:t></w:r><w:r><w:drawing><wp:inline><wp:docPr '
              'id="2" name="Chart"/><a:graphic><a:graphicData uri="http://schemas.'
              'openxmlformats.org/drawingml/2006/chart"/></a:graphic></wp:inline></w:drawing>'
              '</w:r></w:p>', ["Chart here."]),
}
#: What the one warning about each construct says.
SAYS = {"text box": "text box kept", "comment": "comment 'Check this figure' left out",
        "tracked changes": "deletions dropped", "field": "field DATE kept",
        "drop cap": "drop cap joined", "equation": "equation 'E=mc2' kept",
        "endnote": "endnote 'A source.' made a footnote",
        "internal link": "link to the bookmark '_Toc1' kept as plain text",
        "chart": "chart left out"}
NOTES = (b'<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
         b'<w:footnote w:type="separator" w:id="-1"><w:p/></w:footnote><w:footnote w:id="1">'
         b'<w:p><w:r><w:t>A source.</w:t></w:r></w:p></w:footnote></w:footnotes>')
COMMENTS = (b'<w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            b'<w:comment w:id="0"><w:p><w:r><w:t>Check this figure</w:t></w:r></w:p>'
            b'</w:comment></w:comments>')


def test_what_the_source_cannot_hold_is_kept_as_text_and_reported(tmp_path: Path) -> None:
    for n, (name, (xml, texts)) in enumerate(FOREIGN.items()):
        folder = tmp_path / str(n)
        folder.mkdir()
        body = p("A title", "Title") + p("By: A. Author") + p("2022-06-03") + xml + p(
            "Key Points", "Heading1") + p("A point.", "ListBullet")
        styles = ('<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
                  'main"><w:style w:styleId="Title"><w:name w:val="Title"/></w:style>'
                  '<w:style w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>'
                  '<w:style w:styleId="ListBullet"><w:name w:val="List Bullet"/><w:pPr><w:numPr>'
                  '<w:numId w:val="1"/></w:numPr></w:pPr></w:style></w:styles>')
        _, warnings = imported(
            folder, body, styles=styles, numbering=BULLETS,
            parts={"word/endnotes.xml": NOTES.replace(b"footnote", b"endnote"),
                   "word/comments.xml": COMMENTS},
            rels=(("rNotes", REL + "endnotes", "endnotes.xml", False),
                  ("rComments", REL + "comments", "comments.xml", False)))
        document = read_source(folder / "source" / "paper.md")
        paragraphs = [plain_text(b.inlines) for b in document.blocks if isinstance(b, Paragraph)]
        assert paragraphs == texts, name
        located = [w.message for w in warnings if w.line in (4, 5)]
        assert len(located) == 1 and SAYS[name] in located[0], (name, warnings)
        assert located[0].startswith(("paragraph 4 (", "paragraph 5 (")), located


#: Title, Heading 1 and List Bullet (numbered by BULLETS), by their built-in names.
ENGLISH_STYLES = ('<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
                  'main"><w:style w:styleId="Title"><w:name w:val="Title"/></w:style>'
                  '<w:style w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>'
                  '<w:style w:styleId="ListBullet"><w:name w:val="List Bullet"/><w:pPr>'
                  '<w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style></w:styles>')


def test_footnotes_strike_scripts_page_breaks_and_links_to_headings_are_kept(
        tmp_path: Path) -> None:
    """What Word has and the source holds now comes through without a warning: a footnote of
    two paragraphs with a link in it (related from the notes' own part), strikethrough,
    sub- and superscript, a page break between paragraphs, a link to a heading's bookmark."""
    notes = (b'<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
             b'main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
             b'relationships"><w:footnote w:type="separator" w:id="-1"><w:p/></w:footnote>'
             b'<w:footnote w:id="7"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space='
             b'"preserve"> A source, </w:t></w:r><w:hyperlink r:id="rWeb"><w:r><w:t>online'
             b'</w:t></w:r></w:hyperlink></w:p><w:p><w:r><w:t>Second part.</w:t></w:r></w:p>'
             b'</w:footnote></w:footnotes>')
    notes_rels = (b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                  b'relationships"><Relationship Id="rWeb" Type="http://schemas.openxmlformats'
                  b'.org/officeDocument/2006/relationships/hyperlink" Target="https://example.'
                  b'org/src" TargetMode="External"/></Relationships>')
    body = (p("A title", "Title") + p("By: A. Author") + p("2022-06-03")
            + '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:bookmarkStart w:id="0" '
              'w:name="_Toc9"/><w:r><w:t>Water Data</w:t></w:r><w:bookmarkEnd w:id="0"/></w:p>'
            + '<w:p><w:r><w:t>Claim</w:t></w:r><w:r><w:footnoteReference w:id="7"/></w:r>'
              '<w:r><w:t xml:space="preserve"> with </w:t></w:r><w:r><w:rPr><w:strike/></w:rPr>'
              '<w:t>old</w:t></w:r><w:r><w:t xml:space="preserve"> H</w:t></w:r><w:r><w:rPr>'
              '<w:vertAlign w:val="subscript"/></w:rPr><w:t>2</w:t></w:r><w:r><w:t>O, km</w:t>'
              '</w:r><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:t>3</w:t></w:r>'
              '<w:r><w:br w:type="page"/></w:r><w:r><w:t xml:space="preserve">See </w:t></w:r>'
              '<w:hyperlink w:anchor="_Toc9"><w:r><w:t>the data</w:t></w:r></w:hyperlink>'
              '<w:r><w:t>.</w:t></w:r></w:p>'
            + p("Key Points", "Heading1") + p("A point.", "ListBullet"))
    text, warnings = imported(
        tmp_path, body, styles=ENGLISH_STYLES, numbering=BULLETS,
        parts={"word/footnotes.xml": notes, "word/_rels/footnotes.xml.rels": notes_rels},
        rels=(("rNotes", REL + "footnotes", "footnotes.xml", False),))
    assert not [w for w in warnings if w.line not in (None, 1)], warnings
    assert "Claim[^1] with ~~old~~ H~2~O, km^3^\n\n\\newpage\n\nSee [the data](#water-data)." \
        in text, text
    document = read_source(tmp_path / "source" / "paper.md")
    (note,) = document.footnotes
    assert [plain_text(p.inlines) for p in note.paragraphs] == ["A source, online",
                                                                 "Second part."]
    assert ("online", "https://example.org/src") in links(note.paragraphs[0].inlines)
    assert any(isinstance(b, PageBreak) for b in document.blocks)


def test_a_bookmark_that_is_not_the_automatic_identifier_is_written_as_the_heading_id(
        tmp_path: Path) -> None:
    body = (p("A title", "Title") + p("By: A. Author") + p("2022-06-03")
            + '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:bookmarkStart w:id="0" '
              'w:name="method"/><w:r><w:t>How we worked</w:t></w:r><w:bookmarkEnd w:id="0"/>'
              '</w:p>' + '<w:p><w:r><w:t xml:space="preserve">See </w:t></w:r><w:hyperlink '
              'w:anchor="method"><w:r><w:t>the method</w:t></w:r></w:hyperlink></w:p>'
            + p("Key Points", "Heading1") + p("A point.", "ListBullet"))
    text, _ = imported(tmp_path, body, styles=ENGLISH_STYLES, numbering=BULLETS)
    assert "## How we worked {#method}" in text and "[the method](#method)" in text, text


def test_figures_keep_alt_text_and_caption(tmp_path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (4, 4), (1, 2, 3)).save(tmp_path / "dot.png")
    drawing = ('<w:p><w:r><w:drawing><wp:inline><wp:docPr id="1" name="Picture 1" '
               'descr="A blue dot"/><a:graphic><a:graphicData uri="pic"><pic:pic><pic:blipFill>'
               '<a:blip r:embed="rImg"/></pic:blipFill></pic:pic></a:graphicData></a:graphic>'
               '</wp:inline></w:drawing></w:r></w:p>')
    body = (p("T", "Title") + p("By: A") + p("2022-06-03") + drawing
            + p("Figure 1: The dot", "Caption") + p("Key Points", "Heading1")
            + p("Point.", "ListBullet"))
    styles = GERMAN_STYLES.replace("</w:styles>", '<w:style w:styleId="Caption"><w:name '
                                   'w:val="caption"/></w:style><w:style w:styleId="Heading1">'
                                   '<w:name w:val="heading 1"/></w:style><w:style w:styleId='
                                   '"ListBullet"><w:name w:val="List Bullet"/><w:pPr><w:numPr>'
                                   '<w:numId w:val="1"/></w:numPr></w:pPr></w:style></w:styles>')
    imported(tmp_path, body.replace("Titel", "Title"), styles=styles,
                       numbering=BULLETS, parts={"word/media/dot.png":
                                                 (tmp_path / "dot.png").read_bytes()},
                       rels=(("rImg", REL + "image", "media/dot.png", False),))
    document = read_source(tmp_path / "source" / "paper.md")
    figure = next(b for b in document.blocks if isinstance(b, Figure))
    assert (figure.alt, figure.caption) == ("A blue dot", "The dot")
    assert figure.path.parent == (tmp_path / "source" / "images").resolve()


def test_a_brief_resaved_by_libreoffice_imports_alike(tmp_path: Path) -> None:
    soffice = require_tool("soffice")
    from kzreport.build import Options, build

    source = ROOT / "tests" / "fixtures" / "rich.md"
    project = tmp_path / "p"
    shutil.copytree(source.parent / "images", project / "images")
    shutil.copy(source, project)
    build([project / "rich.md"], Options(out_dir=tmp_path / "b", formats=("docx",), cwd=project))
    profile = f"-env:UserInstallation=file://{tmp_path / 'lo'}"
    for target, folder in (("odt", tmp_path / "b"), ("docx:MS Word 2007 XML", tmp_path / "lo-out")):
        name = tmp_path / "b" / ("rich.docx" if target == "odt" else "rich.odt")
        subprocess.run([soffice, profile, "--headless", "--convert-to", target, "--outdir",
                        str(folder), str(name)], capture_output=True, timeout=240, check=True)
    out = tmp_path / "s" / "rich.md"
    import_paper(tmp_path / "lo-out" / "rich.docx", out, None, tmp_path)
    again, original = read_source(out), read_source(project / "rich.md")
    assert again.meta.title == original.meta.title
    assert again.meta.links == original.meta.links
    assert [type(b) for b in again.blocks] == [type(b) for b in original.blocks]
    assert [plain_text(i) for _, i in _texts(again)] == [plain_text(i) for _, i in
                                                        _texts(original)]


def _texts(document: Document) -> list[tuple[int, Inlines]]:
    return list(inline_contents(document.blocks))


#: Heading 1 and Heading 2 by their built-in names, and List Bullet (numbered by BULLETS).
TWO_HEADINGS = ('<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
                'main"><w:style w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>'
                '<w:style w:styleId="Heading2"><w:name w:val="heading 2"/></w:style>'
                '<w:style w:styleId="ListBullet"><w:name w:val="List Bullet"/><w:pPr>'
                '<w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style></w:styles>')


def test_a_lone_heading_1_title_leaves_its_heading_2_sections_at_level_2(
        tmp_path: Path) -> None:
    # As LibreOffice saves an HTML page: <h1> the title, <h2> the sections, <h3> below.
    body = (p("Regional Update", "Heading1") + p("By: A. Smith") + p("12 March 2024")
            + p("Key Points", "Heading2") + p("A point.", "ListBullet")
            + p("Background", "Heading2") + p("Text.") + p("Casualties", "Heading3")
            + p("More text."))
    styles = TWO_HEADINGS.replace("</w:styles>", '<w:style w:styleId="Heading3">'
                                  '<w:name w:val="heading 3"/></w:style></w:styles>')
    text, _ = imported(tmp_path, body, styles=styles, numbering=BULLETS)
    assert "title: Regional Update" in text
    assert "\n## Key Points\n" in text and "\n## Background\n" in text
    assert "\n### Casualties\n" in text


def test_the_import_warnings_are_printed_when_the_written_source_needs_fixing(
        tmp_path: Path) -> None:
    # The Key Points under a Heading 1 section come back as '###': an error to fix, printed
    # after the import's own warnings (here, the author it could not find).
    body = (p("A title", "Title") + p("2022-06-03") + p("Intro", "Heading1") + p("Text.")
            + p("Key Points", "Heading2") + p("A point.", "ListBullet"))
    styles = TWO_HEADINGS.replace("</w:styles>", '<w:style w:styleId="Title">'
                                  '<w:name w:val="Title"/></w:style></w:styles>')
    source = word_file(tmp_path / "paper.docx", body, styles=styles, numbering=BULLETS)
    try:
        import_paper(source, tmp_path / "source" / "paper.md", None, tmp_path)
    except KzreportError as exc:
        severities = [problem.severity for problem in exc.problems]
        assert "warning" in severities and severities[-1] == "error", exc.problems
        assert any("author" in str(problem) for problem in exc.problems), exc.problems
    else:
        raise AssertionError("the Key Points at level 3 should need fixing")


def test_pandoc_definitions_saved_again_by_libreoffice_end_before_an_indented_quote(
        tmp_path: Path) -> None:
    # Pandoc's OpenDocument saved as Word by LibreOffice: its Definition_20_Term_20_Tight
    # styles renamed, the quote after the list indented as deep as a definition.
    styles = TWO_HEADINGS.replace("</w:styles>", (
        '<w:style w:styleId="Title"><w:name w:val="Title"/></w:style>'
        '<w:style w:styleId="DefinitionTermTight"><w:name w:val="Definition Term Tight"/>'
        '</w:style><w:style w:styleId="DefinitionDefinitionTight">'
        '<w:name w:val="Definition Definition Tight"/></w:style>'
        '<w:style w:styleId="Quotations"><w:name w:val="Quotations"/></w:style></w:styles>'))
    indent = '<w:ind w:left="720"/>'
    body = (p("A title", "Title") + p("By: A. Author") + p("2022-06-03")
            + p("Key Points", "Heading1") + p("A point.", "ListBullet")
            + p("Terms", "Heading1") + p("Term one", "DefinitionTermTight")
            + p("Its definition.", "DefinitionDefinitionTight", indent)
            + p("Its second paragraph.", "DefinitionDefinitionTight", indent)
            + p("A quoted statement.", "Quotations", indent))
    imported(tmp_path, body, styles=styles, numbering=BULLETS)
    document = read_source(tmp_path / "source" / "paper.md")
    definitions = [b for b in document.blocks if isinstance(b, DefinitionList)]
    assert len(definitions) == 1
    (item,) = definitions[0].items
    assert plain_text(item.term) == "Term one"
    assert [plain_text(b.inlines) for d in item.definitions for b in d
            if isinstance(b, Paragraph)] == ["Its definition.", "Its second paragraph."]
    assert isinstance(document.blocks[-1], Quote)


def test_a_heading_deeper_than_the_source_holds_is_named_by_its_word_level(
        tmp_path: Path) -> None:
    styles = TWO_HEADINGS.replace("</w:styles>", (
        '<w:style w:styleId="Title"><w:name w:val="Title"/></w:style><w:style '
        'w:styleId="Heading3"><w:name w:val="heading 3"/></w:style></w:styles>'))
    body = (p("A title", "Title") + p("By: A. Author") + p("2022-06-03")
            + p("Key Points", "Heading1") + p("A point.", "ListBullet")
            + p("Analysis", "Heading1") + p("Sub", "Heading2") + p("Deepest", "Heading3")
            + p("Text."))
    text, warnings = imported(tmp_path, body, styles=styles, numbering=BULLETS)
    assert "\n### Sub\n" in text and "\n### Deepest\n" in text
    (warning,) = [w for w in warnings if "Deepest" in str(w)]
    assert warning.message.startswith("paragraph 8 (\"Deepest\"): Heading 3 made a level-3 "
                                      "heading ('###'), as Heading 2 is")


def test_words_list_bullet_2_style_is_a_nested_list(tmp_path: Path) -> None:
    # Word's List Bullet 2 numbers with a list of its own at its first level, indented.
    styles = TWO_HEADINGS.replace("</w:styles>", (
        '<w:style w:styleId="Title"><w:name w:val="Title"/></w:style><w:style '
        'w:styleId="ListBullet2"><w:name w:val="List Bullet 2"/><w:pPr><w:numPr>'
        '<w:numId w:val="3"/></w:numPr><w:ind w:left="720"/></w:pPr></w:style></w:styles>'))
    numbering = BULLETS.replace("</w:numbering>", '<w:num w:numId="3"><w:abstractNumId '
                                'w:val="0"/></w:num></w:numbering>')
    body = (p("A title", "Title") + p("By: A. Author") + p("2022-06-03")
            + p("Key Points", "Heading1") + p("Levels fall.", "ListBullet")
            + p("Dams matter.", "ListBullet") + p("Kambarata-1 most.", "ListBullet2")
            + p("Talks go on.", "ListBullet"))
    imported(tmp_path, body, styles=styles, numbering=numbering)
    document = read_source(tmp_path / "source" / "paper.md")
    (key_points,) = [b for b in document.blocks if isinstance(b, KeyPoints)]
    assert [plain_text(point.inlines) for point in key_points.points] == [
        "Levels fall.", "Dams matter.", "Talks go on."]
    (nested,) = key_points.points[1].details
    assert isinstance(nested, ListBlock)
    assert [plain_text(item.blocks[0].inlines) for item in nested.items  # type: ignore[union-attr]
            ] == ["Kambarata-1 most."]


def test_staff_paper_bylines_in_word_name_the_authors(tmp_path: Path) -> None:
    body = (p("A Staff Paper", "Titel") + p("Prepared by: Dana Analyst, J5")
            + p("Authors: Sam Writer; Kim Lee, J2") + p("Written by Ola Nor")
            + p("Prepared by:") + p("Ann Doe, J3") + p("2024-06-03") + p("A paragraph."))
    assert imported(tmp_path, body, styles=GERMAN_STYLES)[1] == []
    document = read_source(tmp_path / "source" / "paper.md")
    assert str(document.meta.date) == "2024-06-03"
    assert [(a.name, a.affiliation) for a in document.meta.authors] == [
        ("Dana Analyst", "J5"), ("Sam Writer", None), ("Kim Lee", "J2"), ("Ola Nor", None),
        ("Ann Doe", "J3")]


def test_a_first_paragraph_opening_by_in_word_is_no_byline(tmp_path: Path) -> None:
    body = (p("A Staff Paper", "Titel") + p("By Dana Analyst") + p("2024-06-03")
            + p("By contrast, the region does not.") + p("Prepared by the staff, the plan."))
    assert imported(tmp_path, body, styles=GERMAN_STYLES)[1] == []
    document = read_source(tmp_path / "source" / "paper.md")
    assert [a.name for a in document.meta.authors] == ["Dana Analyst"]
    assert [plain_text(b.inlines) for b in document.blocks if isinstance(b, Paragraph)] == [
        "By contrast, the region does not.", "Prepared by the staff, the plan."]
