"""The brief's native Word charts: a chart part with its embedded workbook, shown inline."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from kzreport.labels import chart_description
from kzreport.layout import Layout
from kzreport.model import Chart
from kzreport.renderers._common import build_timestamp, xml_safe
from kzreport.renderers._office_charts import chart_space
from kzreport.renderers._proportions import CHART_ASPECT

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.text.paragraph import Paragraph as WordParagraph

    from kzreport.model import Document

#: The parts' names, as Word names them: ``chart1.xml``, ``Microsoft_Excel_Sheet1.xlsx``.
CHART_PARTNAME = "/word/charts/chart%d.xml"
WORKBOOK_PARTNAME = "/word/embeddings/Microsoft_Excel_Sheet%d.xlsx"
#: A point in EMU, the unit of DrawingML sizes.
EMU_PER_PT = 12700

_INLINE = (
    '<w:drawing {ns}><wp:inline distT="0" distB="0" distL="0" distR="0">'
    '<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
    '<wp:docPr id="{id}" name="Chart {number}"/><wp:cNvGraphicFramePr/>'
    '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
    '<c:chart r:id="{rel}"/></a:graphicData></a:graphic></wp:inline></w:drawing>')


def add_chart(word: WordDocument, paragraph: WordParagraph, document: Document,
              layout: Layout, chart: Chart, caption: str, width: float) -> None:
    """``chart`` as a native Word chart ``width`` points wide (``CHART_ASPECT`` of it tall)
    at the end of ``paragraph``: its chart part (the deck's XML and palette, text at the
    caption size as in the PDF) related from the document, the chart's data as the embedded
    workbook Word's "Edit Data" opens, and its alt text naming the chart and every value."""
    from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
    from docx.opc.part import Part, XmlPart
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    element, workbook = chart_space(chart, layout, layout.sizes.caption, build_timestamp(document))
    main = word.part
    package = main.package
    chart_part = XmlPart(package.next_partname(CHART_PARTNAME), CONTENT_TYPE.DML_CHART,
                         cast(Any, element), package)  # python-pptx's own element class
    rel = main.relate_to(chart_part, RELATIONSHIP_TYPE.CHART)
    sheet = Part(package.next_partname(WORKBOOK_PARTNAME), CONTENT_TYPE.SML_SHEET, workbook,
                 package)
    external: Any = element
    external.get_or_add_externalData().rId = chart_part.relate_to(sheet,
                                                                  RELATIONSHIP_TYPE.PACKAGE)
    number = sum(1 for r in main.rels.values() if r.reltype == RELATIONSHIP_TYPE.CHART)
    drawing = parse_xml(_INLINE.format(
        ns=nsdecls("w", "wp", "a", "c", "r"), cx=round(width * EMU_PER_PT),
        cy=round(width * CHART_ASPECT * EMU_PER_PT), id=main.next_id, number=number, rel=rel))
    for doc_pr in drawing.iter(qn("wp:docPr")):
        doc_pr.set("descr", xml_safe(chart_description(chart, caption)))
    paragraph.add_run().element.append(drawing)
