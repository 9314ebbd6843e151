"""The scheduling policy on plain data: every preference, the waiting rule, the head start, ties."""

from __future__ import annotations

import math

import pytest

from kzreport.scheduling import (
    Assignment,
    Offer,
    Preference,
    Schedule,
    Timings,
    head_start,
    offer,
)

FORMATS = ("docx", "pdf", "pptx")


def timings(**start_and_later: tuple[int, int]) -> Timings:
    """Timings of each named format: its first output's milliseconds and a later one's."""
    return Timings(first={name: first for name, (first, _) in start_and_later.items()},
                   later={name: later for name, (_, later) in start_and_later.items()})


class Run:
    """A schedule fed as the task runner feeds it, keeping which formats each worker is given."""

    def __init__(self, most_workers: int = 2) -> None:
        self.schedule = Schedule(most_workers)
        self.formats: list[str] = []
        self.given: dict[int, list[str]] = {}

    def submit(self, name: str) -> None:
        self.schedule.wait(len(self.formats), name)
        self.formats.append(name)
        self._hand_out()

    def finish(self, worker: int, milliseconds: int) -> None:
        """``worker`` finishes its output in ``milliseconds``; the schedule hands out more."""
        self.schedule.finished(worker, milliseconds)
        self._hand_out()

    def _hand_out(self) -> None:
        for assignment in self.schedule.assign():
            self.given.setdefault(assignment.worker, []).append(self.formats[assignment.output])


# ---------------------------------------------------------------- one worker's offer


def test_a_format_no_worker_has_loaded_comes_first_the_oldest_of_them_first() -> None:
    waiting = {"docx": [0], "pdf": [3], "pptx": [2]}
    assert offer(waiting, {"docx"}, set(), Timings()) == Offer(Preference.FRESH, 2, "pptx")


def test_its_own_formats_come_next_the_dearest_to_start_first() -> None:
    waiting = {"docx": [0], "pptx": [1], "pdf": [2]}
    measured = timings(docx=(60, 20), pptx=(180, 40))  # start-ups: 40 and 140 ms
    assert offer(waiting, {"docx", "pptx"}, {"pdf"}, measured) == Offer(Preference.OWN, 1, "pptx")
    cheaper = timings(docx=(200, 20), pptx=(180, 40))
    assert offer(waiting, {"docx", "pptx"}, {"pdf"}, cheaper) == Offer(Preference.OWN, 0, "docx")


def test_a_start_up_not_yet_measured_counts_as_the_dearest() -> None:
    waiting = {"docx": [0], "pptx": [1]}
    assert offer(waiting, {"docx", "pptx"}, set(), timings(docx=(500, 20))) == Offer(
        Preference.OWN, 1, "pptx")
    # Neither measured: the oldest.
    assert offer(waiting, {"docx", "pptx"}, set(), Timings()) == Offer(Preference.OWN, 0, "docx")


def test_a_shared_format_comes_after_its_own_and_before_loading_another() -> None:
    waiting = {"docx": [2], "pdf": [1], "pptx": [0]}
    assert offer(waiting, {"docx", "pdf"}, {"docx", "pptx"}, Timings()) == Offer(
        Preference.OWN, 1, "pdf")
    del waiting["pdf"]
    assert offer(waiting, {"docx"}, {"docx", "pptx"}, Timings()) == Offer(
        Preference.SHARED, 2, "docx")


def test_a_format_others_have_loaded_the_cheapest_to_start_first() -> None:
    waiting = {"docx": list(range(10, 20)), "pptx": list(range(8))}
    measured = timings(docx=(60, 20), pptx=(180, 40))
    assert offer(waiting, {"pdf"}, {"docx", "pptx"}, measured) == Offer(
        Preference.LOADABLE, 10, "docx")
    # One not yet measured is worth loading, but a measured cheaper one comes first.
    assert offer(waiting, {"pdf"}, {"docx", "pptx"}, timings(docx=(60, 20))) == Offer(
        Preference.LOADABLE, 10, "docx")
    assert offer(waiting, {"pdf"}, {"docx", "pptx"}, Timings()) == Offer(
        Preference.LOADABLE, 0, "pptx")


@pytest.mark.parametrize(("waiting", "loads"), [(1, False), (13, False), (14, True)])
def test_a_worker_loads_a_format_only_when_what_waits_takes_over_twice_its_start_up(
        waiting: int, loads: bool) -> None:
    measured = timings(pptx=(300, 40))  # 260 ms to start, 40 ms an output: 520 < 14 x 40
    expected = Offer(Preference.LOADABLE, 0, "pptx") if loads else None
    assert offer({"pptx": list(range(waiting))}, {"pdf"}, {"pptx"}, measured) == expected
    assert measured.worth_loading("pptx", waiting) is loads


def test_nothing_waiting_is_no_offer() -> None:
    assert offer({"docx": []}, {"docx"}, set(), Timings()) is None


# ---------------------------------------------------------------- timings


def test_the_start_up_is_the_first_output_over_the_latest_later_one() -> None:
    measured = Timings()
    assert measured.start_up("docx") == math.inf
    measured.record("docx", 60, first=True)
    measured.record("docx", 90, first=True)  # another worker's first: the first one stays
    assert measured.start_up("docx") == math.inf
    measured.record("docx", 30, first=False)
    measured.record("docx", 20, first=False)  # the latest later one counts
    assert measured.start_up("docx") == 40
    measured.record("docx", 80, first=False)
    assert measured.start_up("docx") == 0  # never below nothing


def test_a_failed_output_tells_nothing_of_its_formats_timings() -> None:
    schedule = Schedule(most_workers=1)
    schedule.wait(0, "docx")
    schedule.wait(1, "docx")
    assert schedule.assign() == [Assignment(0, 0, starts=True)]
    schedule.finished(0, 0)
    assert schedule.assign() == [Assignment(0, 1)]
    schedule.finished(0, 70)  # still the worker's first measured output
    assert schedule.timings == Timings(first={"docx": 70})


# ---------------------------------------------------------------- every worker at once


def test_the_worker_that_prefers_an_output_most_takes_it() -> None:
    schedule = Schedule(most_workers=2)
    assert schedule.start_ahead(("docx", "pptx")) == [(0, "docx"), (1, "pptx")]
    schedule.wait(0, "pptx")  # the first worker would load it, the second has
    assert schedule.assign() == [Assignment(1, 0)]


def test_between_equal_offers_the_worker_started_first_takes_the_output() -> None:
    schedule = Schedule(most_workers=2)
    schedule.start_ahead(("docx", "pdf"))
    schedule.wait(0, "pptx")
    schedule.wait(1, "pptx")
    assert schedule.assign() == [Assignment(0, 0), Assignment(1, 1)]


def test_a_new_worker_starts_only_when_no_free_one_takes_anything() -> None:
    schedule = Schedule(most_workers=2, timings=timings(pptx=(300, 40)))
    schedule.wait(0, "pptx")
    assert schedule.assign() == [Assignment(0, 0, starts=True)]
    schedule.wait(1, "pptx")  # one waiting output is not worth a second start-up
    assert schedule.assign() == []
    schedule.wait(2, "docx")
    assert schedule.assign() == [Assignment(1, 2, starts=True)]
    schedule.wait(3, "pdf")  # no room for a third worker
    assert schedule.assign() == []
    schedule.finished(1, 50)
    assert schedule.assign() == [Assignment(1, 3)]


def test_a_lost_workers_formats_are_loaded_nowhere() -> None:
    schedule = Schedule(most_workers=2)
    schedule.start_ahead(("docx", "pdf"))
    schedule.lost(0)
    schedule.wait(0, "docx")
    assert offer(schedule.waiting, {"pdf"}, set(), schedule.timings) == Offer(
        Preference.FRESH, 0, "docx")
    assert schedule.assign() == [Assignment(1, 0)]
    schedule.wait(1, "pdf")
    assert schedule.assign() == [Assignment(2, 1, starts=True)]  # numbers are never reused


def test_workers_share_the_format_that_is_cheapest_to_start() -> None:
    run = Run()
    for _ in range(12):
        for name in FORMATS:
            run.submit(name)
    assert run.given == {0: ["docx"], 1: ["pdf"]}
    run.finish(0, 60)  # a format nobody has loaded comes first
    assert run.given[0][-1] == "pptx"
    run.finish(0, 180)  # each of its own formats' start-up is still unknown: oldest
    assert run.given[0][-1] == "docx"
    run.finish(0, 20)  # the deck costs more to start than the brief: decks first
    run.finish(0, 40)
    run.finish(0, 40)
    assert run.given[0] == ["docx", "pptx", "docx", "pptx", "pptx", "pptx"]
    for milliseconds in (250, *[30] * 10):
        run.finish(1, milliseconds)
    assert run.given[1] == ["pdf"] * 12  # the PDFs are its own, and it sticks to them
    # Out of PDFs, with 10 briefs and 8 decks waiting, both worth loading: the brief, the
    # cheaper to start (40 ms against 140 ms).
    run.finish(1, 30)
    assert run.given[1][-1] == "docx"
    run.finish(0, 40)  # the briefs are shared now: the decks stay the first's
    assert run.given[0][-1] == "pptx"
    assert list(run.schedule.workers) == [0, 1]  # never more workers than jobs


def test_a_worker_waits_rather_than_load_a_format_for_too_little() -> None:
    run = Run()
    for name in ("pptx", "pdf", "pptx", "pptx", "pptx"):
        run.submit(name)
    run.finish(0, 300)
    run.finish(0, 40)
    run.finish(1, 200)  # one deck of 40 ms waits: not worth a 260 ms start-up
    assert (run.given, run.schedule.workers[1].rendering) == (
        {0: ["pptx"] * 3, 1: ["pdf"]}, None)
    run.finish(0, 40)
    assert run.given[0] == ["pptx"] * 4 and not any(run.schedule.waiting.values())


# ---------------------------------------------------------------- the head start


def test_the_head_start_gives_each_worker_a_format_in_turn() -> None:
    assert head_start(FORMATS, 2) == ["docx", "pdf"]
    assert head_start(FORMATS, 4) == ["docx", "pdf", "pptx", "docx"]
    assert head_start(("pdf",), 2) == ["pdf", "pdf"]


def test_workers_started_ahead_are_given_the_formats_they_loaded_first() -> None:
    run = Run()
    assert run.schedule.start_ahead(FORMATS) == [(0, "docx"), (1, "pdf")]
    assert run.schedule.start_ahead(FORMATS) == []  # as many as there may be, once
    for name in ("pdf", "docx"):
        run.submit(name)
    assert run.given == {0: ["docx"], 1: ["pdf"]}
    assert list(run.schedule.workers) == [0, 1]


def test_loading_everywhere_names_what_each_worker_lacks_and_counts_it_loaded() -> None:
    schedule = Schedule(2)
    schedule.start_ahead(("docx", "pdf"))
    assert schedule.load_everywhere(0, FORMATS) == ["pdf", "pptx"]
    assert schedule.load_everywhere(0, FORMATS) == []
    assert schedule.workers[0].formats == set(FORMATS)
    schedule.wait(0, "pptx")  # shared by no one else: worker 0's own, no longer fresh
    assert schedule.assign() == [Assignment(0, 0)]
