"""The brief's footnotes part (``word/footnotes.xml``), which python-docx has no API for."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kzreport.renderers._wordml import element, put, qn

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.text.paragraph import Paragraph as WordParagraph
    from lxml.etree import _Element as XmlElement

#: The two notes Word expects before the real ones: the short rule above the notes, and the
#: full-width one when a note continues from the previous page. Their ids are Word's own.
_SEPARATORS = (("-1", "separator"), ("0", "continuationSeparator"))


class Footnotes:
    """The footnotes part of one brief, made when its first note is written: python-docx's
    template has none. A reference document's own footnotes part is replaced, since its
    notes belonged to sample text that is gone."""

    def __init__(self, word: WordDocument) -> None:
        from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
        from docx.opc.packuri import PackURI
        from docx.parts.story import StoryPart

        document_part = word.part
        for rel_id, rel in list(document_part.rels.items()):
            if rel.reltype == RELATIONSHIP_TYPE.FOOTNOTES:
                document_part.drop_rel(rel_id)
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        # Both prefixes declared at the root, as Word does: hyperlinks in notes use r:id.
        root = parse_xml(f"<w:footnotes {nsdecls('w', 'r')}/>")
        for note_id, kind in _SEPARATORS:
            note = element("w:footnote", type=kind, id=note_id)
            paragraph = element("w:p")
            p_pr = element("w:pPr")
            p_pr.append(element("w:spacing", after="0", line="240", lineRule="auto"))
            paragraph.append(p_pr)
            run = element("w:r")
            run.append(element(f"w:{kind}"))
            paragraph.append(run)
            note.append(paragraph)
            root.append(note)
        #: The part paragraphs of notes belong to: hyperlinks in a note relate from it.
        self.part: Any = StoryPart(PackURI("/word/footnotes.xml"), CONTENT_TYPE.WML_FOOTNOTES,
                                   root, document_part.package)
        document_part.relate_to(self.part, RELATIONSHIP_TYPE.FOOTNOTES)
        # Word names the separator notes in the settings, as it does itself.
        properties = element("w:footnotePr")
        for note_id, _ in _SEPARATORS:
            properties.append(element("w:footnote", id=note_id))
        put(word.settings.element, properties)
        self._root: XmlElement = root

    def paragraph(self, number: int) -> WordParagraph:
        """A new paragraph at the end of footnote ``number`` (the note is made if new)."""
        from docx.text.paragraph import Paragraph

        note = self._root[-1]
        if note.get(qn("w:id")) != str(number):
            note = element("w:footnote", id=str(number))
            self._root.append(note)
        paragraph: Any = element("w:p")  # a CT_P: python-docx makes its own class for w:p
        note.append(paragraph)
        return Paragraph(paragraph, self)
