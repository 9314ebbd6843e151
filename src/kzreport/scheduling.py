"""Which waiting output each worker renders: workers specialise by format (a pure policy)."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field
from enum import IntEnum

from kzreport.records import record

# A format's first output in a process costs as much as several more (importing reportlab,
# python-docx or python-pptx and preparing the template), so each library should load in as
# few workers as the load can be balanced with. With ``-j 2`` and the three formats, one worker
# renders the PDFs and the other the decks while the briefs wait, until the first runs out of
# PDFs and takes the briefs: they, the cheapest to start, are what both workers load, and what
# evens out their loads.


@record(frozen=False)
class Timings:
    """Milliseconds measured per format: the first output of it a worker rendered (its
    start-up included), and the latest later one."""

    first: dict[str, int] = field(default_factory=dict)
    later: dict[str, int] = field(default_factory=dict)

    def record(self, name: str, milliseconds: int, first: bool) -> None:
        """Record an output of format ``name``: ``first`` when its worker had rendered none."""
        if first:
            self.first.setdefault(name, milliseconds)
        else:
            self.later[name] = milliseconds

    def start_up(self, name: str) -> float:
        """The milliseconds a worker's first output of format ``name`` cost over a later one
        (its library and template); infinite until both have been measured, as a format
        about to be measured may well be the dearest."""
        first, later = self.first.get(name), self.later.get(name)
        return math.inf if first is None or later is None else max(0, first - later)

    def worth_loading(self, name: str, waiting: int) -> bool:
        """Whether another worker should load format ``name`` for the ``waiting`` outputs of it:
        when they take longer than twice its start-up, so that sharing them gains more than
        the start-up costs. Without timings yet, yes."""
        start_up = self.start_up(name)
        return start_up == math.inf or waiting * self.later[name] > 2 * start_up


class Preference(IntEnum):
    """Why a worker would take an output, the strongest reason first."""

    #: A format no worker has loaded: someone has to, and the sooner the better.
    FRESH = 1
    #: A format only this worker has loaded, the dearest to start first: nobody else can take
    #: those without loading them too, and the cheap ones are better left for another to share.
    OWN = 2
    #: A format it shares with other workers: these even out the workers' loads at the end.
    SHARED = 3
    #: A format others have loaded, worth loading again, the cheapest to start first.
    LOADABLE = 4


@dataclass(frozen=True, order=True)
class Offer:
    """The waiting output a worker would take (the oldest of its format), and why."""

    preference: Preference
    output: int
    format: str


def offer(waiting: Mapping[str, Sequence[int]], mine: Set[str], elsewhere: Set[str],
          timings: Timings) -> Offer | None:
    """What a worker that has loaded the formats ``mine`` should take, while other workers have
    loaded ``elsewhere``; None when it should rather wait. ``waiting`` holds each format's
    waiting outputs, numbered in the order they were planned, oldest first."""
    heads = {name: queue[0] for name, queue in waiting.items() if queue}
    loaded = mine | elsewhere
    fresh = [(index, name) for name, index in heads.items() if name not in loaded]
    if fresh:
        return Offer(Preference.FRESH, *min(fresh))
    own = [(-timings.start_up(name), index, name) for name, index in heads.items()
           if name in mine - elsewhere]
    if own:
        return Offer(Preference.OWN, *min(own)[1:])
    shared = [(index, name) for name, index in heads.items() if name in mine]
    if shared:
        return Offer(Preference.SHARED, *min(shared))
    loadable = [(timings.start_up(name), index, name) for name, index in heads.items()
                if timings.worth_loading(name, len(waiting[name]))]
    return Offer(Preference.LOADABLE, *min(loadable)[1:]) if loadable else None


def head_start(formats: Sequence[str], workers: int) -> list[str]:
    """The format each of ``workers`` started before the first source is read loads, to be
    given first: the first worker the first format, and so on, round again."""
    return [formats[number % len(formats)] for number in range(workers)]


@record(frozen=False)
class WorkerState:
    """What the schedule knows of a worker: the formats it has loaded (or been asked to),
    those it has finished an output of, and the format of the output it is rendering."""

    formats: set[str] = field(default_factory=set)
    rendered: set[str] = field(default_factory=set)
    rendering: str | None = None


@record
class Assignment:
    """Worker number ``worker`` renders output ``output``; ``starts``: it is a new worker."""

    worker: int
    output: int
    starts: bool = False


class Schedule:
    """The outputs waiting by format, what each worker has loaded, and how long formats take:
    decides which worker renders which output, holding no processes, pipes or clocks.

    A free worker takes the output of its best ``offer``; the offers of all free workers are
    compared, so an output goes to the worker that prefers it most (then the oldest output,
    then the worker started first). A new worker starts, up to ``most_workers``, when no free
    one takes anything. Whenever every worker is free, some worker takes an output: each
    waiting format is either loaded by a worker, which takes it, or by none (``FRESH``).
    """

    def __init__(self, most_workers: int, timings: Timings | None = None) -> None:
        self.most_workers = most_workers
        self.timings = Timings() if timings is None else timings
        #: Outputs not yet given to a worker, oldest first, by format.
        self.waiting: dict[str, deque[int]] = {}
        #: The workers by number, in the order they started (numbers are never reused).
        self.workers: dict[int, WorkerState] = {}
        self._started = 0

    def start_ahead(self, formats: Sequence[str]) -> list[tuple[int, str]]:
        """Start workers up to the most before any output waits, each loading the format it
        will be given first (see ``head_start``); return their numbers and those formats."""
        return [(self._start(WorkerState({name})), name)
                for name in head_start(formats, self.most_workers)[len(self.workers):]]

    def load_everywhere(self, worker: int, formats: Sequence[str]) -> list[str]:
        """Worker ``worker`` loads every format of ``formats``: return those it had not."""
        state = self.workers[worker]
        missing = [name for name in formats if name not in state.formats]
        state.formats.update(missing)
        return missing

    def wait(self, output: int, format_name: str) -> None:
        """Output number ``output``, of format ``format_name``, waits for a worker."""
        self.waiting.setdefault(format_name, deque()).append(output)

    def assign(self) -> list[Assignment]:
        """Give free workers, and new ones up to the most, the outputs they should take."""
        assignments = []
        while any(self.waiting.values()):
            offers = [(choice, number) for number, worker in self.workers.items()
                      if worker.rendering is None
                      and (choice := self._offer(worker)) is not None]
            if offers:
                choice, number = min(offers)
                starts = False
            elif (len(self.workers) < self.most_workers
                  and (new := self._offer(None)) is not None):
                choice, number, starts = new, self._start(WorkerState()), True
            else:
                break
            self.waiting[choice.format].popleft()
            worker = self.workers[number]
            worker.formats.add(choice.format)
            worker.rendering = choice.format
            assignments.append(Assignment(number, choice.output, starts))
        return assignments

    def finished(self, worker: int, milliseconds: int) -> None:
        """Worker ``worker`` has rendered its output in ``milliseconds``; a failed output,
        which reports no time (0), tells nothing of its format's timings."""
        state = self.workers[worker]
        name, state.rendering = state.rendering, None
        if name is not None and milliseconds:
            self.timings.record(name, milliseconds, first=name not in state.rendered)
            state.rendered.add(name)

    def lost(self, worker: int) -> None:
        """Worker ``worker`` died: its formats are loaded nowhere any more."""
        del self.workers[worker]

    def _offer(self, worker: WorkerState | None) -> Offer | None:
        """The offer of ``worker`` (None: a worker yet to start)."""
        mine = worker.formats if worker is not None else set()
        elsewhere = set().union(*(w.formats for w in self.workers.values() if w is not worker))
        return offer(self.waiting, mine, elsewhere, self.timings)

    def _start(self, worker: WorkerState) -> int:
        number = self._started
        self._started += 1
        self.workers[number] = worker
        return number
