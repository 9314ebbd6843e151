"""Small Word packages written by hand, for the constructs other writers produce and the
hostile files an import must refuse."""

from __future__ import annotations

import zipfile
from pathlib import Path

W_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"')
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

#: Styles as German Word writes them: translated ids, English built-in names, outline levels.
GERMAN_STYLES = f"""<w:styles {W_NS}>
<w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val="de-DE"/></w:rPr></w:rPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:styleId="Titel"><w:name w:val="Title"/></w:style>
<w:style w:type="paragraph" w:styleId="Untertitel"><w:name w:val="Subtitle"/></w:style>
<w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="heading 1"/>
  <w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="berschrift2"><w:name w:val="heading 2"/>
  <w:basedOn w:val="berschrift1"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Zitat"><w:name w:val="Quote"/></w:style>
<w:style w:type="paragraph" w:styleId="Aufzhlungszeichen"><w:name w:val="List Bullet"/>
  <w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
<w:style w:type="character" w:styleId="Fett"><w:name w:val="Strong"/><w:rPr><w:b/></w:rPr></w:style>
</w:styles>"""

BULLETS = f"""<w:numbering {W_NS}>
<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/></w:lvl>
<w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/>
<w:numFmt w:val="decimal"/></w:lvl></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/>
<w:lvlOverride w:ilvl="0"><w:startOverride w:val="4"/></w:lvlOverride></w:num>
</w:numbering>"""


def p(text: str, style: str | None = None, extra: str = "") -> str:
    """A paragraph of one run of ``text``."""
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/>{extra}</w:pPr>' if style else (
        f"<w:pPr>{extra}</w:pPr>" if extra else "")
    return f'<w:p>{ppr}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def word_file(path: Path, body: str, *, styles: str | None = None,
              numbering: str | None = None, parts: dict[str, bytes] | None = None,
              rels: tuple[tuple[str, str, str, bool], ...] = (),
              core: str = "", raw_document: bytes | None = None) -> Path:
    """Write a .docx at ``path`` whose body is ``body`` (WordprocessingML paragraphs)."""
    document = raw_document or (f'<?xml version="1.0" encoding="UTF-8"?>\n<w:document {W_NS}>'
                                f"<w:body>{body}</w:body></w:document>").encode()
    doc_rels = list(rels)
    files: dict[str, bytes] = {"word/document.xml": document}
    if styles is not None:
        files["word/styles.xml"] = styles.encode()
        doc_rels.append(("rStyles", REL + "styles", "styles.xml", False))
    if numbering is not None:
        files["word/numbering.xml"] = numbering.encode()
        doc_rels.append(("rNumbering", REL + "numbering", "numbering.xml", False))
    files.update(parts or {})
    files["word/_rels/document.xml.rels"] = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(f'<Relationship Id="{i}" Type="{t}" Target="{target}"'
                  + (' TargetMode="External"' if external else "") + "/>"
                  for i, t, target, external in doc_rels) + "</Relationships>").encode()
    package_rels = [("rId1", REL + "officeDocument", "word/document.xml")]
    if core:
        files["docProps/core.xml"] = (
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/">' + core + "</cp:coreProperties>").encode()
        package_rels.append(("rId2", "http://schemas.openxmlformats.org/package/2006/"
                             "relationships/metadata/core-properties", "docProps/core.xml"))
    files["_rels/.rels"] = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(f'<Relationship Id="{i}" Type="{t}" Target="{target}"/>'
                  for i, t, target in package_rels) + "</Relationships>").encode()
    files["[Content_Types].xml"] = (
        b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Default Extension="xml" ContentType="application/xml"/></Types>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in files.items():
            package.writestr(name, data)
    return path
