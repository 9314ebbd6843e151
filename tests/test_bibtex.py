"""The BibTeX reader: entries, braces, quotes, @string, '#', accents, dashes, names, errors."""

from __future__ import annotations

import pytest

from kzreport.bibtex import BibtexError, latex_text, names, read_bibtex

# As Zotero, JabRef and Google Scholar export them: mixed case, month macros, braces that
# protect case, accents written every common way.
REAL_WORLD = r"""
% Exported by a reference manager
@String{OUP = {Oxford University Press}}
@string(nyc = "New York")

@Book{cooley2012,
  Author    = {Cooley, Alexander},
  Title     = {Great Games, Local Rules: The New Great Power Contest in {Central Asia}},
  Publisher = OUP # { (US)},
  Address   = nyc,
  Year      = 2012,
  Month     = jun
}

@article{laruelle_2018,
  title={Kazakhstan's {Multi-Vector} Policy},
  author={Laruelle, Marl{\`e}ne and S{\'e}bastien Peyrouse and {World Bank} and
          J\"{o}rg van der Berg and Smith, Jr., John},
  journal={Central Asian Survey},
  volume={37}, number={2}, pages={201--219}, year={2018},
  doi={10.1080/0263\_4937},
  url={https://example.org/~me/a\_b},
  note = "Pages 12--14 \& \textit{passim}; ``quoted'' --- Gda\'nsk, \c{C}elik,
          na\"{\i}ve, Stra\ss e",
}

@comment{ a note that mentions @misc{ghost} }
@misc{eia, title = {X}, date = {2023-03-01}, urldate = {2024-01-05},
      howpublished = {\url{https://www.eia.gov/x\_y}}}
@phdthesis{t1, author = {Nurlan Abdrakhmanov}, title = {Essays}, school = {KIMEP}, year = 2019}
"""


def test_real_world_entries_become_csl_items() -> None:
    entries = dict((item["id"], (line, item)) for line, item in read_bibtex(REAL_WORLD))
    assert list(entries) == ["cooley2012", "laruelle_2018", "eia", "t1"]
    line, book = entries["cooley2012"]
    assert line == 6
    assert book == {
        "id": "cooley2012", "type": "book",
        "author": [{"family": "Cooley", "given": "Alexander"}],
        "title": "Great Games, Local Rules: The New Great Power Contest in Central Asia",
        "publisher": "Oxford University Press (US)", "publisher-place": "New York",
        "issued": {"date-parts": [[2012, 6]]},
    }
    article = entries["laruelle_2018"][1]
    assert article["type"] == "article-journal"
    assert article["author"] == [
        {"family": "Laruelle", "given": "Marlène"},
        {"family": "Peyrouse", "given": "Sébastien"},
        {"literal": "World Bank"},
        {"family": "van der Berg", "given": "Jörg"},
        {"family": "Smith", "given": "John", "suffix": "Jr."},
    ]
    assert article["container-title"] == "Central Asian Survey"
    assert (article["volume"], article["issue"], article["page"]) == ("37", "2", "201-219")
    assert article["DOI"] == "10.1080/0263_4937"
    assert article["URL"] == "https://example.org/~me/a_b"
    assert article["note"] == ("Pages 12–14 & passim; “quoted” — Gdańsk, Çelik, naïve, Straße")
    misc = entries["eia"][1]
    assert misc["issued"] == {"date-parts": [[2023, 3, 1]]}
    assert misc["accessed"] == {"date-parts": [[2024, 1, 5]]}
    assert misc["URL"] == "https://www.eia.gov/x_y"
    thesis = entries["t1"][1]
    assert (thesis["type"], thesis["publisher"], thesis["genre"]) == ("thesis", "KIMEP",
                                                                       "PhD diss.")


@pytest.mark.parametrize(("text", "line", "message"), [
    ("@book{a,\n  title = {Open\n}\n@book{b, title={x}}\n", 1, "never closed"),
    ("@book{a, title = {x}}\n\n@book{a, title = {y}}\n", 3, "used twice (first on line 1)"),
    ("@book{a,\n  publisher = unknownmacro,\n}\n", 2, "undefined macro 'unknownmacro'"),
    ("@book{a,\n  title = {x} year = 2012,\n}\n", 2, "expected ',' between fields"),
    ("@book{a,\n  title {x},\n}\n", 2, "expected '=' after field name 'title'"),
    ('@book{a,\n  title = "x},\n}\n', 2, "unbalanced '}'"),
    ("@book{a, title = {x}\n", 1, "entry 'a' is never closed"),
])
def test_a_file_that_does_not_parse_names_its_line(text: str, line: int, message: str) -> None:
    with pytest.raises(BibtexError) as caught:
        read_bibtex(text)
    assert caught.value.line == line
    assert message in caught.value.message


def test_latex_text() -> None:
    assert latex_text(r"{\"o}{\'E}\^{o}\~n\=a\.z\u{g}\v{s}\H{o}\k{a}\r{a}") == "öÉôñāżğšőąå"
    # A command word takes the space after it, as in TeX: "\O \ae" is "Øæ".
    assert latex_text(r"\o\ \O{} \ae\ \l{}ódź \AA\ss{} \O \ae") == "ø Ø æ łódź Åß Øæ"
    assert latex_text(r"1990--2000 --- {A}~B \$5 50\%") == "1990–2000 — A\u00a0B $5 50%"
    # As Zotero and Better BibTeX export them: math, Greek, escaped signs.
    assert latex_text(r"A {$\alpha$} review of {$\Delta$}T, \$5") == "A α review of ΔT, $5"
    assert latex_text(r"{\textquotedblleft}Go{\textquotedblright}, 20{\textdegree}C, "
                      r"\textasciitilde{}3 {\textless}10") == "“Go”, 20°C, ~3 <10"


def test_names_with_particles_and_organisations() -> None:
    assert names("Ludwig van Beethoven and {Organisation for Economic Co-operation}") == [
        {"family": "van Beethoven", "given": "Ludwig"},
        {"literal": "Organisation for Economic Co-operation"}]
    assert names("Plato and others") == [{"family": "Plato"}]
