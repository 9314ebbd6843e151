"""The XMP metadata packet: escaped Dublin Core, dates, and the PDF/UA claim only when made."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from kzreport.renderers._pdf_metadata import DocumentInfo, xmp_packet

NS = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
      "dc": "http://purl.org/dc/elements/1.1/", "pdf": "http://ns.adobe.com/pdf/1.3/",
      "xmp": "http://ns.adobe.com/xap/1.0/", "pdfuaid": "http://www.aiim.org/pdfua/ns/id/"}
INFO = DocumentInfo(title="Oil & gas <2023>", authors=("Әлия", "B & C"), subject="Exports",
                    keywords=("oil", "routes"), language="kk-KZ", creator="kzreport 1.0",
                    producer="kzreport 1.0 (ReportLab 5)", created=dt.datetime(2023, 3, 14, 12))


def description(packet: bytes) -> ET.Element:
    text = packet.decode("utf-8")
    assert text.startswith('<?xpacket begin="\ufeff"') and text.endswith('<?xpacket end="w"?>')
    found = ET.fromstring(text.split("?>", 1)[1].rsplit("<?xpacket", 1)[0]).find(
        "rdf:RDF/rdf:Description", NS)
    assert found is not None
    return found


def texts(element: ET.Element, path: str) -> list[str]:
    return [item.text or "" for item in element.findall(path, NS)]


def test_the_packet_describes_the_document() -> None:
    found = description(xmp_packet(INFO, pdfua=True))
    assert texts(found, "dc:title/rdf:Alt/rdf:li") == ["Oil & gas <2023>"]
    assert texts(found, "dc:creator/rdf:Seq/rdf:li") == ["Әлия", "B & C"]
    assert texts(found, "dc:description/rdf:Alt/rdf:li") == ["Exports"]
    assert texts(found, "dc:language/rdf:Bag/rdf:li") == ["kk-KZ"]
    assert texts(found, "dc:subject/rdf:Bag/rdf:li") == ["oil", "routes"]
    assert texts(found, "pdf:Keywords") == ["oil, routes"]
    assert texts(found, "pdf:Producer") == ["kzreport 1.0 (ReportLab 5)"]
    assert texts(found, "xmp:CreatorTool") == ["kzreport 1.0"]
    for date in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
        assert texts(found, date) == ["2023-03-14T12:00:00Z"]
    assert texts(found, "pdfuaid:part") == ["1"]


def test_no_keywords_and_no_pdfua_claim_leave_their_entries_out() -> None:
    found = description(xmp_packet(DocumentInfo(**{**vars(INFO), "keywords": ()}), pdfua=False))
    assert found.find("dc:subject", NS) is None and found.find("pdf:Keywords", NS) is None
    assert found.find("pdfuaid:part", NS) is None
