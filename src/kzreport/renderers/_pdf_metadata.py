"""The PDF's XMP metadata packet: what the document is, by whom, in which language."""

from __future__ import annotations

import datetime as dt

from kzreport.records import record
from kzreport.renderers._common import xml_escape


@record
class DocumentInfo:
    """What the XMP metadata says about the document (the information dictionary agrees)."""

    title: str
    authors: tuple[str, ...]
    subject: str
    keywords: tuple[str, ...]
    language: str
    creator: str
    producer: str
    created: dt.datetime  # naive UTC


def xmp_packet(info: DocumentInfo, pdfua: bool) -> bytes:
    """The XMP metadata packet: Dublin Core title, creators, description, language and
    subjects; producer, tool and dates; and the PDF/UA identification when ``pdfua``."""

    def items(values: tuple[str, ...]) -> str:
        return "".join(f"<rdf:li>{xml_escape(v)}</rdf:li>" for v in values)

    when = info.created.strftime("%Y-%m-%dT%H:%M:%SZ")
    lines = [
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>',
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
        '<rdf:Description rdf:about=""',
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"',
        ' xmlns:pdf="http://ns.adobe.com/pdf/1.3/"',
        ' xmlns:xmp="http://ns.adobe.com/xap/1.0/"',
        ' xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">',
        "<dc:format>application/pdf</dc:format>",
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{xml_escape(info.title)}</rdf:li>'
        "</rdf:Alt></dc:title>",
        f"<dc:creator><rdf:Seq>{items(info.authors)}</rdf:Seq></dc:creator>",
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{xml_escape(info.subject)}'
        "</rdf:li></rdf:Alt></dc:description>",
        f"<dc:language><rdf:Bag>{items((info.language,))}</rdf:Bag></dc:language>",
    ]
    if info.keywords:
        lines += [f"<dc:subject><rdf:Bag>{items(info.keywords)}</rdf:Bag></dc:subject>",
                  f"<pdf:Keywords>{xml_escape(', '.join(info.keywords))}</pdf:Keywords>"]
    lines += [
        f"<pdf:Producer>{xml_escape(info.producer)}</pdf:Producer>",
        f"<xmp:CreatorTool>{xml_escape(info.creator)}</xmp:CreatorTool>",
        f"<xmp:CreateDate>{when}</xmp:CreateDate>",
        f"<xmp:ModifyDate>{when}</xmp:ModifyDate>",
        f"<xmp:MetadataDate>{when}</xmp:MetadataDate>",
    ]
    if pdfua:
        lines.append("<pdfuaid:part>1</pdfuaid:part>")
    lines += ["</rdf:Description>", "</rdf:RDF>", "</x:xmpmeta>", '<?xpacket end="w"?>']
    return "\n".join(lines).encode("utf-8")
