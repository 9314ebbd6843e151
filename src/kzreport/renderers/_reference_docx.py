"""What the brief takes from a user's reference.docx: styles, theme, numbering and page set-up."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kzreport.renderers._wordml import qn

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

#: The parts of the main document a reference document gives the brief, by the last segment of
#: their relationship type: everything else (sample footnotes and endnotes, comments, headers
#: and footers with their text, hyperlinks, images, glossary, custom XML) is content.
_KEPT_PARTS = frozenset({"styles", "numbering", "theme", "fontTable", "settings", "webSettings"})
#: The page set-up a reference document's section gives: page size and margins (which the
#: layout then sets, so that the brief's pages are the PDF's) and the line grid.
_KEPT_SECTION = ("w:pgSz", "w:pgMar", "w:docGrid")
#: The settings that name the notes or other parts the brief does not take from it.
_DROPPED_SETTINGS = ("w:footnotePr", "w:endnotePr", "w:attachedTemplate", "w:mailMerge")
#: A package's user-defined properties, which are a reference document's content too.
_CUSTOM_PROPERTIES = "/custom-properties"


def keep_styles_only(word: WordDocument) -> None:
    """Reduce a reference document to what a brief takes from it: its body emptied (keeping
    its final section properties, cut to the page set-up), its relationships to content parts
    dropped (so those parts are not written), and its settings' pointers to them."""
    body = word.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    section = body.get_or_add_sectPr()  # Pandoc's reference document has none
    kept = {qn(tag) for tag in _KEPT_SECTION}
    for setting in list(section):
        if setting.tag not in kept:
            section.remove(setting)
    # The layout sets the other margins; the schema requires a gutter, which python-docx
    # does not write when it adds the margins.
    margins = section.get_or_add_pgMar()
    if margins.get(qn("w:gutter")) is None:
        margins.set(qn("w:gutter"), "0")
    part = word.part
    for rel_id, rel in list(part.rels.items()):
        if rel.reltype.rsplit("/", 1)[-1] not in _KEPT_PARTS:
            part.drop_rel(rel_id)
    package_rels = part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype.endswith(_CUSTOM_PROPERTIES):
            del package_rels[rel_id]
    _settings_without_content(word)
    _ensure_numbering(word)


def _ensure_numbering(word: WordDocument) -> None:
    """Give a reference document without list definitions (LibreOffice saves none when it has
    no lists) an empty numbering part, for the brief's own: python-docx cannot make one."""
    from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.parts.numbering import NumberingPart

    part = word.part
    if any(rel.reltype == RELATIONSHIP_TYPE.NUMBERING for rel in part.rels.values()):
        return
    numbering = NumberingPart(PackURI("/word/numbering.xml"), CONTENT_TYPE.WML_NUMBERING,
                              parse_xml(f"<w:numbering {nsdecls('w')}/>"), part.package)
    part.relate_to(numbering, RELATIONSHIP_TYPE.NUMBERING)


def _settings_without_content(word: WordDocument) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE

    try:  # not word.settings, which adds a settings part to a reference document without one
        settings: Any = word.part.part_related_by(RELATIONSHIP_TYPE.SETTINGS)
    except KeyError:
        return
    for tag in _DROPPED_SETTINGS:
        for found in settings.element.findall(qn(tag)):
            settings.element.remove(found)
    for rel_id in list(settings.rels):
        settings.drop_rel(rel_id)
