"""Where two texts first differ, quoted both ways: around the difference however late in a
long paragraph, whitespace and invisible marks aside, cut between words, on one line."""

from __future__ import annotations

from kzreport.differences import CONTEXT, Normalized, differs, missing
from kzreport.expectations import normalize

LONG = ("Kazakhstan's exports to the European Union rose in 2023, carried along the Middle "
        "Corridor across the Caspian Sea, through Azerbaijan and Georgia to the Black Sea ports, "
        "while the northern route through Russia carried less than it had the year before, "
        "and the share of oil in the total fell to 71 per cent for the first time.")


def test_two_long_texts_that_differ_late_show_the_difference() -> None:
    changed = LONG.replace("71 per cent", "17 per cent")
    message = differs(changed, LONG)
    assert message == ('"…of oil in the total fell to 17 per cent for the first…", not "…of oil '
                       'in the total fell to 71 per cent for the first…"')
    shown, source = message.split(", not ")
    assert len(shown) <= CONTEXT + 4 and len(source) <= CONTEXT + 4


def test_a_difference_early_shows_what_follows_it() -> None:
    assert differs("Kazakstan" + LONG[10:], LONG) == (
        '"Kazakstan\'s exports to the European Union rose in 2023,…", not '
        '"Kazakhstan\'s exports to the European Union rose in 2023,…"')


def test_a_difference_in_the_middle_has_context_both_sides() -> None:
    message = differs(LONG.replace("Azerbaijan", "Armenia"), LONG)
    assert message == ('"…the Caspian Sea, through Armenia and Georgia to the…", not '
                       '"…the Caspian Sea, through Azerbaijan and Georgia to the…"')


def test_line_breaks_and_invisible_marks_are_not_differences() -> None:
    wrapped = LONG.replace(" the Black", "\nthe\u00adBlack").replace("Middle", "Mid\u200bdle")
    assert normalize(wrapped) == normalize(LONG)
    message = differs(wrapped.replace("fell", "rose"), LONG)
    assert "\n" not in message
    assert message.startswith('"…share of oil in the total rose to 71 per cent for the…"')


def test_a_text_cut_short_shows_what_is_left_out() -> None:
    assert differs("The corridor grew", "The corridor grew fastest after 2022.") == (
        '"The corridor grew", not "The corridor grew fastest after 2022."')


def test_normalized_text_keeps_where_each_character_came_from() -> None:
    text = Normalized("ﬁne  print\u00ad\n here")  # NFKC makes the ligature two letters
    assert text.key == normalize("ﬁne  print\u00ad\n here") == "fineprinthere"
    assert text.text[text.origin[4]] == "p"
    assert text.around(4) == "fine print here"  # the soft hyphen is not shown


def test_a_text_printed_with_a_change_is_found_where_it_starts() -> None:
    output = Normalized("Heading. " + LONG.replace("rose in 2023", "fell in 2023") + " More.")
    assert missing(output, 0, LONG) == (
        'reads "…to the European Union fell in 2023, carried along…" in the output, not '
        '"…to the European Union rose in 2023, carried along…"')
    assert missing(output, 0, LONG, "the notes of slide 3").startswith(
        'reads "…to the European Union fell in 2023, carried along…" in the notes of slide 3, '
        'not "…')


def test_of_places_that_start_alike_the_one_that_goes_on_longest_is_shown() -> None:
    entry = "U.S. Energy Information Administration. Kazakhstan Country Brief. EIA, 2023."
    output = Normalized("U.S. Energy Information Administration, Kazakhstan Country Analysis, "
                        "2023. Sources: U.S. Energy Information Administration. Kazakhstan "
                        "Country Analysis. EIA, 2023.")
    assert "Country Analysis. EIA" in missing(output, 0, entry).split(" in the output")[0]


def test_a_text_whose_start_is_not_there_is_missing() -> None:
    output = Normalized("Something else entirely.")
    assert missing(output, 0, LONG) == (
        'is missing or out of order: "Kazakhstan\'s exports to the European Union rose in '
        '2023,…"')
    assert missing(output, 0, "Gone.", "the notes of slide 3") == (
        'is not in the notes of slide 3 or out of order: "Gone."')
    # Looked for only after where the text before it was found.
    assert missing(Normalized(LONG + " Then."), len(normalize(LONG)), LONG).startswith(
        "is missing or out of order")
