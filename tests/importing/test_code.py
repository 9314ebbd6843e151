"""Code blocks as other writers put them in Word files (LibreOffice's paragraph a line,
Pandoc's line breaks, Word's code styles and monospaced fonts) import as one code block each,
and stay one through a build and a second import."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, _missing, require_tool
from importing.word_files import GERMAN_STYLES, REL, p, word_file
from kzreport.build import Options, build
from kzreport.importing import import_paper
from kzreport.model import CodeBlock, Figure, Paragraph, Span, plain_text, walk
from kzreport.source import read_source

FIRST = ["def f(x):", "    return x + 1", "", "\tprint(f(2))"]
SECOND = ["SELECT name", "  FROM t;"]
#: A fenced block as the import writes it.
FENCE = re.compile(r"^(`{3,})\n(.*?)\n?^\1$", re.MULTILINE | re.DOTALL)


def imported(docx: Path, folder: Path) -> tuple[list[str], list[str], Path]:
    """The fenced blocks of the Markdown imported from ``docx``, its model's code blocks, and
    the source's path."""
    out = folder / "source" / (docx.stem + ".md")
    import_paper(docx, out, None, folder)
    fences = [m.group(2) for m in FENCE.finditer(out.read_text(encoding="utf-8"))]
    codes = [b.text for b in walk(read_source(out).blocks) if isinstance(b, CodeBlock)]
    return fences, codes, out


def assert_two_blocks(docx: Path, folder: Path, first: list[str] = FIRST,
                      second: list[str] = SECOND) -> Path:
    """``docx`` holds the two code blocks, a paragraph between them, and no other."""
    fences, codes, out = imported(docx, folder)
    assert fences == codes == ["\n".join(first), "\n".join(second)]
    assert "Middle paragraph." in out.read_text(encoding="utf-8")
    return out


def assert_round_trip(source: Path, folder: Path) -> None:
    """Built to a brief and imported again, the paper keeps its code blocks one each."""
    outcomes = build([source], Options(out_dir=folder / "built", formats=("docx",), cwd=ROOT))
    assert not any(o.failed for o in outcomes)
    brief = folder / "built" / (source.stem + ".docx")
    with zipfile.ZipFile(brief) as package:
        document = package.read("word/document.xml").decode("utf-8")
    codes = [b.text for b in walk(read_source(source).blocks) if isinstance(b, CodeBlock)]
    assert document.count('<w:pStyle w:val="CodeBlock"/>') == len(codes)
    assert imported(brief, folder / "again")[1] == codes


def libreoffice_docx(source: Path, folder: Path) -> Path:
    """``source`` (HTML, flat OpenDocument) saved as Word by LibreOffice."""
    soffice = require_tool("soffice")
    result = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{folder / 'profile'}", "--headless",
         "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(folder), str(source)],
        capture_output=True, text=True, timeout=240, check=False)
    assert result.returncode == 0, result.stderr
    return folder / (source.stem + ".docx")


HTML = """<html><head><title>Code</title></head><body><h1>Code from HTML</h1>
<p>By: Dana Analyst</p><p>2023-04-01</p><p>Intro paragraph.</p>
<pre>def f(x):
    return x + 1

&#9;print(f(2))</pre>
<p>Middle paragraph.</p>
<pre>SELECT name
  FROM t;</pre>
<p>End.</p></body></html>"""

#: Flat OpenDocument: Preformatted Text paragraphs, then paragraphs in a monospaced font.
FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls><style:font-face style:name="Liberation Mono"
 svg:font-family="'Liberation Mono'" style:font-pitch="fixed"/></office:font-face-decls>
<office:styles><style:style style:name="Preformatted_20_Text"
 style:display-name="Preformatted Text" style:family="paragraph">
 <style:text-properties style:font-name="Liberation Mono"/></style:style></office:styles>
<office:automatic-styles><style:style style:name="P1" style:family="paragraph"
 style:parent-style-name="Standard"><style:text-properties style:font-name="Liberation Mono"/>
 </style:style></office:automatic-styles>
<office:body><office:text>
<text:p text:style-name="Title">Code from LibreOffice</text:p>
<text:p>By: Dana Analyst</text:p><text:p>2023-04-01</text:p><text:p>Intro paragraph.</text:p>
<text:p text:style-name="Preformatted_20_Text">def f(x):</text:p>
<text:p text:style-name="Preformatted_20_Text"><text:s text:c="4"/>return x + 1</text:p>
<text:p text:style-name="Preformatted_20_Text"/>
<text:p text:style-name="Preformatted_20_Text"><text:tab/>print(f(2))</text:p>
<text:p>Middle paragraph.</text:p>
<text:p text:style-name="P1">SELECT name</text:p>
<text:p text:style-name="P1"><text:s text:c="2"/>FROM t;</text:p>
<text:p>End.</text:p>
</office:text></office:body></office:document>"""


@pytest.mark.parametrize("name,text", [("html", HTML), ("fodt", FODT)])
def test_libreoffice_writes_a_paragraph_a_line(tmp_path: Path, name: str, text: str) -> None:
    source = tmp_path / f"code.{name}"
    source.write_text(text, encoding="utf-8")
    docx = libreoffice_docx(source, tmp_path)
    out = assert_two_blocks(docx, tmp_path / "import")
    assert_round_trip(out, tmp_path / "trip")


def test_pandoc_writes_a_block_a_paragraph_with_line_breaks(tmp_path: Path) -> None:
    try:
        import pypandoc
    except ImportError:
        _missing("pypandoc-binary is not installed (pip install '.[test]')")
    markdown = tmp_path / "code.md"
    fence = "```"
    markdown.write_text(
        "---\ntitle: Code from Pandoc\nauthor: Dana Analyst\ndate: 2023-04-01\n---\n\n"
        f"Intro paragraph.\n\n{fence}\n" + "\n".join(FIRST) + f"\n{fence}\n\n"
        f"Middle paragraph.\n\n{fence}\n" + "\n".join(SECOND) + f"\n{fence}\n\nEnd.\n",
        encoding="utf-8")
    docx = tmp_path / "code.docx"
    pypandoc.convert_file(str(markdown), "docx", outputfile=str(docx))
    # Pandoc's Markdown reader turns the tab into spaces.
    out = assert_two_blocks(docx, tmp_path / "import", [*FIRST[:3], "    print(f(2))"])
    assert_round_trip(out, tmp_path / "trip")


def word_document(path: Path, lines: list[str], style: str | None = None,
                  font: str | None = None) -> Path:
    """A document as python-docx writes one: the title block, then each code line its own
    paragraph, in ``style`` (made, in Courier New, if the template has none) or with its runs
    in ``font``."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    document.add_paragraph("Code from Word", style="Title")
    document.add_paragraph("By: Dana Analyst")
    document.add_paragraph("2023-04-01")
    document.add_paragraph("Intro paragraph.")
    if style is not None and style not in [s.name for s in document.styles]:
        document.styles.add_style(style, WD_STYLE_TYPE.PARAGRAPH).font.name = "Courier New"
    for block in (lines, SECOND):
        for text in block:
            # python-docx writes a tab as Word does, <w:tab/>.
            document.add_paragraph(style=style).add_run(text).font.name = font
        if block is lines:
            document.add_paragraph("Middle paragraph.")
    document.add_paragraph("End.")
    document.save(str(path))
    return path


@pytest.mark.parametrize("style", ["Preformatted Text", "HTML Preformatted", "Code", "macro",
                                   "Macro Text", "Source Code", "Code Snippet", "Kod"])
def test_word_code_styles_by_name_or_font(tmp_path: Path, style: str) -> None:
    # "Kod" is known by its font alone (Courier New), the others by their names.
    docx = word_document(tmp_path / "code.docx", FIRST, style=style)
    assert_two_blocks(docx, tmp_path / "import")


@pytest.mark.parametrize("font", ["Courier New", "Consolas", "Liberation Mono",
                                  "DejaVu Sans Mono"])
def test_paragraphs_in_a_monospaced_font_are_one_block(tmp_path: Path, font: str) -> None:
    docx = word_document(tmp_path / "code.docx", FIRST, font=font)
    out = assert_two_blocks(docx, tmp_path / "import")
    assert_round_trip(out, tmp_path / "trip")


def test_a_monospaced_paragraph_with_line_breaks_is_a_block(tmp_path: Path) -> None:
    # Word's Shift+Enter: one paragraph, its lines split by <w:br/> (python-docx writes "\n"
    # so).
    import docx

    document = docx.Document()
    document.add_paragraph("Code from Word", style="Title")
    document.add_paragraph("2023-04-01")
    document.add_paragraph("Intro paragraph.")
    document.add_paragraph().add_run("\n".join(FIRST)).font.name = "Consolas"
    document.add_paragraph("Middle paragraph.")
    document.add_paragraph().add_run("\n".join(SECOND)).font.name = "Consolas"
    document.save(str(tmp_path / "code.docx"))
    assert_two_blocks(tmp_path / "code.docx", tmp_path / "import")


def mono_line(text: str, mark: bool = False) -> str:
    """A paragraph of ``text`` in Courier New, with its paragraph mark too when ``mark``."""
    fonts = '<w:rFonts w:ascii="Courier New" w:hAnsi="Courier New"/>'
    ppr = f"<w:pPr><w:rPr>{fonts}</w:rPr></w:pPr>" if mark else ""
    run = f'<w:r><w:rPr>{fonts}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>' \
        if text else ""
    return f"<w:p>{ppr}{run}</w:p>"


def test_one_line_is_a_block_when_its_paragraph_is_set_as_code(tmp_path: Path) -> None:
    """Word sets a whole selected line's paragraph mark in the font too: that line is a
    block; a paragraph whose text alone is monospaced is inline code, as a brief writes it."""
    body = (p("Code", "Title") + p("2023-04-01") + p("Intro paragraph.")
            + mono_line("make build", mark=True) + p("Middle paragraph.")
            + mono_line("inline only") + p("End."))
    docx = word_file(tmp_path / "code.docx", body, styles=GERMAN_STYLES.replace(
        'w:styleId="Titel"', 'w:styleId="Title"'))
    fences, codes, out = imported(docx, tmp_path / "import")
    assert fences == codes == ["make build"]
    paragraphs = [b for b in read_source(out).blocks if isinstance(b, Paragraph)]
    assert [[(s.text, s.code) for s in b.inlines if isinstance(s, Span)]
            for b in paragraphs][2:] == [[("inline only", True)], [("End.", False)]]


def test_empty_paragraphs_between_monospaced_lines_are_blank_lines(tmp_path: Path) -> None:
    body = (p("Code", "Title") + p("2023-04-01") + p("Intro paragraph.") + p("")
            + mono_line("first") + p("") + mono_line("") + mono_line("second") + p("")
            + p("Middle paragraph.") + mono_line("other", mark=True) + p("End."))
    docx = word_file(tmp_path / "code.docx", body, styles=GERMAN_STYLES.replace(
        'w:styleId="Titel"', 'w:styleId="Title"'))
    fences, codes, _ = imported(docx, tmp_path / "import")
    assert fences == codes == ["first\n\n\nsecond", "other"]


def test_a_document_set_all_in_a_monospaced_font_has_no_code(tmp_path: Path) -> None:
    """A memo typed in Courier New: its paragraphs are paragraphs."""
    body = (p("Memo", "Title") + p("2023-04-01") + mono_line("First paragraph.", mark=True)
            + mono_line("Second paragraph.", mark=True) + mono_line("Third one."))
    docx = word_file(tmp_path / "code.docx", body, styles=GERMAN_STYLES.replace(
        'w:styleId="Titel"', 'w:styleId="Title"'))
    fences, codes, out = imported(docx, tmp_path / "import")
    assert fences == codes == []
    assert len([b for b in read_source(out).blocks if isinstance(b, Paragraph)]) == 3


def test_a_code_style_and_a_monospaced_font_next_to_each_other_are_two_blocks(
        tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Code from Word", style="Title")
    document.add_paragraph("2023-04-01")
    document.add_paragraph("Intro paragraph.")
    for line in FIRST:
        document.add_paragraph(line, style="macro")
    for line in SECOND:
        document.add_paragraph().add_run(line).font.name = "Consolas"
    document.add_paragraph("Middle paragraph.")
    document.save(str(tmp_path / "code.docx"))
    assert_two_blocks(tmp_path / "code.docx", tmp_path / "import")


def test_a_brief_keeps_code_blocks_and_inline_code_paragraphs_apart(tmp_path: Path) -> None:
    """A brief writes each code block as one paragraph and inline code as monospaced runs:
    two blocks in a row and two paragraphs of inline code in a row come back as they were."""
    source = tmp_path / "paper.md"
    source.write_text("---\ntitle: T\nauthors: [A]\ndate: 2023-01-01\nlanguage: en-US\n---\n\n"
                      "Para.\n\n```\none\n  two\n```\n\n```\nthree\n```\n\n`inline one`\n\n"
                      "`inline two`\n", encoding="utf-8")
    assert_round_trip(source, tmp_path)
    again = read_source(tmp_path / "again" / "source" / "paper.md")
    assert [type(b).__name__ for b in again.blocks] == [
        "Paragraph", "CodeBlock", "CodeBlock", "Paragraph", "Paragraph"]


def test_a_document_whose_normal_style_is_monospaced_has_no_code(tmp_path: Path) -> None:
    styles = GERMAN_STYLES.replace('w:styleId="Titel"', 'w:styleId="Title"').replace(
        "</w:styles>", '<w:style w:type="paragraph" w:default="1" w:styleId="Normal">'
        '<w:name w:val="Normal"/><w:rPr><w:rFonts w:ascii="Courier New"/></w:rPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="Body"><w:name w:val="Memo Text"/>'
        '<w:basedOn w:val="Normal"/></w:style></w:styles>')
    body = (p("Memo", "Title") + p("2023-04-01") + p("First paragraph.", "Body")
            + p("Second paragraph.", "Body") + p("Third one."))
    fences, codes, out = imported(word_file(tmp_path / "memo.docx", body, styles=styles),
                                  tmp_path / "import")
    assert fences == codes == []
    assert len([b for b in read_source(out).blocks if isinstance(b, Paragraph)]) == 3


#: A footnote, a picture and a web link, for code lines that hold them.
_NOTES = (b'<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
          b'<w:footnote w:id="1"><w:p><w:r><w:t>Needs version 2.</w:t></w:r></w:p></w:footnote>'
          b'</w:footnotes>')
_DRAWING = ('<w:r><w:drawing><wp:inline><wp:docPr id="1" name="Picture 1" descr="The fitted '
            'curve"/><a:graphic><a:graphicData uri="pic"><pic:pic><pic:blipFill><a:blip '
            'r:embed="rImg"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline>'
            '</w:drawing></w:r>')
_RICH = ['<w:r><w:t>y = x.fit()</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r>',
         f"<w:r><w:t>plot(y)</w:t></w:r>{_DRAWING}",
         '<w:r><w:t xml:space="preserve">see </w:t></w:r><w:hyperlink r:id="rWeb"><w:r><w:t>'
         'the API</w:t></w:r></w:hyperlink>']


@pytest.mark.parametrize("breaks", [False, True], ids=["paragraph a line", "line breaks"])
def test_a_picture_note_or_link_in_a_code_line_is_kept(tmp_path: Path, breaks: bool) -> None:
    """A code line holding a footnote, a picture or a link (which a code block cannot hold)
    becomes a paragraph of inline code with them, between the code blocks around it, whether
    the code is a paragraph a line (Word) or lines split by line breaks (Pandoc, a brief)."""
    from PIL import Image

    Image.new("RGB", (4, 4), (1, 2, 3)).save(tmp_path / "dot.png")
    lines = ["<w:r><w:t>x = load()</w:t></w:r>", *_RICH, "<w:r><w:t>done()</w:t></w:r>"]
    style = '<w:pPr><w:pStyle w:val="SourceCode"/></w:pPr>'
    code = (f"<w:p>{style}" + "<w:r><w:br/></w:r>".join(lines) + "</w:p>" if breaks
            else "".join(f"<w:p>{style}{line}</w:p>" for line in lines))
    body = (p("Code", "Title") + p("By: Dana Analyst") + p("2023-04-01") + p("Intro.") + code
            + p("End."))
    styles = GERMAN_STYLES.replace('w:styleId="Titel"', 'w:styleId="Title"').replace(
        "</w:styles>", '<w:style w:type="paragraph" w:styleId="SourceCode"><w:name '
        'w:val="Source Code"/></w:style></w:styles>')
    docx = word_file(tmp_path / "code.docx", body, styles=styles, parts={
        "word/footnotes.xml": _NOTES, "word/media/dot.png": (tmp_path / "dot.png").read_bytes()},
        rels=(("rNotes", REL + "footnotes", "footnotes.xml", False),
              ("rImg", REL + "image", "media/dot.png", False),
              ("rWeb", REL + "hyperlink", "https://example.org/api", True)))
    out = tmp_path / "import" / "source" / "code.md"
    warnings = import_paper(docx, out, None, tmp_path / "import")
    # The picture is reported as in any line of text, and nothing else.
    assert [w.message.split(": ", 1)[1].split(" — ")[0] for w in warnings] == [
        "picture inside a line of text put in a paragraph of its own"], warnings
    text = out.read_text(encoding="utf-8")
    assert [m.group(2) for m in FENCE.finditer(text)] == ["x = load()", "done()"]
    assert "`y = x.fit()`[^1]\n\n`plot(y)`\n\n![The fitted curve](" in text, text
    assert "`see `[`the API`](https://example.org/api)\n\n```\ndone()" in text, text
    document = read_source(out)
    assert [plain_text(p.inlines) for n in document.footnotes for p in n.paragraphs] == [
        "Needs version 2."]
    assert [b.alt for b in document.blocks if isinstance(b, Figure)] == ["The fitted curve"]


def test_a_comment_field_equation_or_symbol_in_code_is_reported_where_it_is(
        tmp_path: Path) -> None:
    # Code lines 5 to 8: their text stays in the block, and each is reported at its own line.
    comments = (b'<w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
                b'main"><w:comment w:id="0"><w:p><w:r><w:t>Why twice?</w:t></w:r></w:p>'
                b'</w:comment></w:comments>')
    lines = ['<w:commentRangeStart w:id="0"/><w:r><w:t>run()</w:t></w:r>',
             '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> AUTHOR '
             '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>'
             'dana</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>',
             "<m:oMath><m:r><m:t>x2</m:t></m:r></m:oMath>",
             '<w:r><w:t xml:space="preserve">go </w:t><w:sym w:font="Wingdings" '
             'w:char="F0E0"/></w:r>']
    style = '<w:pPr><w:pStyle w:val="SourceCode"/></w:pPr>'
    body = (p("Code", "Title") + p("By: Dana Analyst") + p("2023-04-01") + p("Intro.")
            + "".join(f"<w:p>{style}{line}</w:p>" for line in lines) + p("End."))
    styles = GERMAN_STYLES.replace('w:styleId="Titel"', 'w:styleId="Title"').replace(
        "</w:styles>", '<w:style w:type="paragraph" w:styleId="SourceCode"><w:name '
        'w:val="Source Code"/></w:style></w:styles>')
    docx = word_file(tmp_path / "code.docx", body, styles=styles,
                     parts={"word/comments.xml": comments},
                     rels=(("rComments", REL + "comments", "comments.xml", False),))
    out = tmp_path / "import" / "source" / "code.md"
    warnings = import_paper(docx, out, None, tmp_path / "import")
    assert [(w.line, w.message.split(": ", 1)[1].split(" ")[0]) for w in warnings] == [
        (5, "comment"), (6, "field"), (7, "equation"), (8, "symbol")], warnings
    assert [b.text for b in walk(read_source(out).blocks) if isinstance(b, CodeBlock)] == [
        "run()\ndana\nx2\ngo "]
