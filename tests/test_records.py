"""Records behave as dataclasses do: the same construction, equality, hash, repr,
immutability, ``dataclasses`` functions, pattern matching and pickling."""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import dataclass, field
from typing import Any

import pytest

from conftest import ROOT
from kzreport.records import record


@record
class Point:
    """A record with every kind of field the code base uses."""

    x: int
    y: int = 0
    tags: tuple[str, ...] = field(default_factory=tuple)
    note: str = field(default="", repr=False)
    cached: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Twin:
    """``Point`` as the standard library makes it."""

    x: int
    y: int = 0
    tags: tuple[str, ...] = field(default_factory=tuple)
    note: str = field(default="", repr=False)
    cached: int = field(default=0, compare=False)


@record
class Checked:
    """A record that checks itself after construction."""

    low: int
    high: int

    def __post_init__(self) -> None:
        if self.low > self.high:
            raise ValueError("low above high")


CALLS: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
    ((1,), {}), ((1, 2), {}), ((1, 2, ("a",), "n", 5), {}), ((), {"x": 1, "y": 2}),
    ((1,), {"note": "n"}), ((), {}), ((1, 2, (), "", 0, 9), {}), ((1,), {"x": 2}),
    ((1,), {"z": 3}), ((), {"y": 1}),
]


def outcome(cls: type, args: tuple[Any, ...], kwargs: dict[str, Any]) -> object:
    """What calling ``cls`` gives: its fields and repr, or the type of what it raises."""
    try:
        made = cls(*args, **kwargs)
    except TypeError:
        return TypeError
    return (dataclasses.astuple(made), repr(made).replace("Twin", "Point"))


@pytest.mark.parametrize(("args", "kwargs"), CALLS)
def test_construction_and_repr_are_the_standard_librarys(args: tuple[Any, ...],
                                                         kwargs: dict[str, Any]) -> None:
    assert outcome(Point, args, kwargs) == outcome(Twin, args, kwargs)


def test_equality_and_hash_follow_the_compared_fields_and_the_class() -> None:
    assert Point(1, 2) == Point(1, 2, cached=7)  # cached is not compared
    assert hash(Point(1, 2)) == hash(Point(1, 2, cached=7))
    assert Point(1, 2) != Point(1, 3)
    twin: object = Twin(1, 2)
    assert Point(1, 2) != twin  # another class, however alike
    assert len({Point(1), Point(1), Point(2)}) == 2


def test_fields_cannot_be_assigned_or_deleted() -> None:
    point = Point(1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        point.x = 2  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del point.x
    assert point.x == 1


def test_each_instance_gets_its_own_default_from_a_factory() -> None:
    @record
    class Bag:
        items: list[int] = field(default_factory=list)

    first, second = Bag(), Bag()
    first.items.append(1)
    assert second.items == []


def test_post_init_runs_after_the_fields_are_set() -> None:
    assert Checked(1, 2).high == 2
    with pytest.raises(ValueError, match="low above high"):
        Checked(3, 2)


def test_dataclasses_functions_matching_and_pickling_work() -> None:
    point = Point(1, 2, ("a",))
    assert dataclasses.is_dataclass(point)
    assert [f.name for f in dataclasses.fields(point)] == ["x", "y", "tags", "note", "cached"]
    assert dataclasses.replace(point, y=5) == Point(1, 5, ("a",))
    assert dataclasses.asdict(point)["tags"] == ("a",)
    match point:
        case Point(x, y):
            assert (x, y) == (1, 2)
        case _:
            pytest.fail("a record matches by position")
    assert pickle.loads(pickle.dumps(point)) == point


def test_keyword_only_fields_are_refused_not_mishandled() -> None:
    with pytest.raises(TypeError, match="keyword-only"):
        @record
        class Keyed:
            a: int = field(kw_only=True)


@record(frozen=False)
class Counter:
    """A mutable record, as ``@dataclass`` makes one."""

    name: str
    counts: list[int] = field(default_factory=list)


@record(frozen=False, eq=False)
class Handle:
    """A mutable record equal only to itself, as ``@dataclass(eq=False)`` makes one."""

    name: str


def test_a_mutable_record_can_change_and_cannot_be_hashed() -> None:
    counter = Counter("a")
    counter.counts.append(1)
    counter.name = "b"
    assert counter == Counter("b", [1])
    assert repr(counter) == "Counter(name='b', counts=[1])"
    with pytest.raises(TypeError, match="unhashable"):
        hash(counter)
    assert Handle("x") != Handle("x")
    handle = Handle("x")
    assert handle == handle and {handle: 1}[handle] == 1


def test_no_module_makes_a_dataclass_the_slow_way() -> None:
    slow = [str(path.relative_to(ROOT)) for path in (ROOT / "src" / "kzreport").rglob("*.py")
            for line in path.read_text("utf-8").splitlines()
            if line == "@dataclass" or line.startswith("@dataclass(")]
    # scheduling's Offer is ordered, which records are not: the one dataclass left
    assert slow == ["src/kzreport/scheduling.py"]


def test_a_field_left_out_of_init_gets_its_default_as_with_dataclasses() -> None:
    @record
    class Made:
        given: int
        made: list[int] = field(init=False, default_factory=list)

    @dataclass(frozen=True)
    class MadeTwin:
        given: int
        made: list[int] = field(init=False, default_factory=list)

    assert dataclasses.astuple(Made(1)) == dataclasses.astuple(MadeTwin(1)) == (1, [])
    with pytest.raises(TypeError):
        Made(1, [2])  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Made(1, made=[2])  # type: ignore[call-arg]


def test_a_field_left_out_of_init_without_a_default_is_left_unset() -> None:
    @record(frozen=False)
    class Later:
        given: int
        later: int = field(init=False)

    made = Later(1)
    assert not hasattr(made, "later")
    made.later = 2
    assert made.later == 2
