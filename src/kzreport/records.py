"""Dataclasses whose methods are closures over their fields, not code compiled per class."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform, overload

# Why not ``@dataclass(frozen=True)``: on Python 3.11 and 3.12 it writes six methods per class
# as source text and compiles each (``exec``), about half a millisecond a class (``@dataclass``
# three). The model and the layout alone are some forty classes that every run imports before
# its first worker can start: a tenth of a one-paper build's start-up went into compiling
# ``__init__``, ``__eq__``, ``__hash__``, ``__repr__``, ``__setattr__`` and ``__delattr__``
# that all do the same thing. ``record`` lets ``dataclasses`` do its bookkeeping (fields,
# ``__match_args__``, so that ``fields``, ``replace``, ``asdict`` and ``match`` work as on any
# dataclass) and gives the class methods made from closures over its fields, which cost
# microseconds.

T = TypeVar("T")


@overload
def record(cls: type[T], /) -> type[T]: ...


@overload
def record(*, frozen: bool = True, eq: bool = True) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field, dataclasses.Field))
def record(cls: type[T] | None = None, /, *, frozen: bool = True,
           eq: bool = True) -> type[T] | Callable[[type[T]], type[T]]:
    """Make ``cls`` a dataclass as ``@dataclass(frozen=True)`` does, or with ``frozen=False``
    (and ``eq=False``) as ``@dataclass`` (``@dataclass(eq=False)``) does: the same fields,
    defaults, ``__post_init__``, equality, hash, repr and, when frozen, immutability."""
    if cls is None:
        return lambda later: _make(later, frozen, eq)
    return _make(cls, frozen, eq)


def _make(cls: type[T], frozen: bool, eq: bool) -> type[T]:
    dataclasses.dataclass(cls, init=False, repr=False, eq=False)
    known = dataclasses.fields(cls)  # type: ignore[arg-type]
    if any(f.kw_only is True for f in known):
        raise TypeError(f"{cls.__qualname__}: record has no keyword-only fields; "
                        "use @dataclass(kw_only=True)")
    methods: dict[str, Callable[..., Any] | None] = {
        "__init__": _init([f for f in known if f.init], [f for f in known if not f.init],
                          cls.__qualname__, hasattr(cls, "__post_init__")),
        "__repr__": _repr(tuple(f.name for f in known if f.repr)),
    }
    if eq:
        methods["__eq__"] = _eq(_getter(tuple(f.name for f in known if f.compare)))
        # as dataclasses do: a frozen class hashes what it compares, a mutable one cannot be
        # hashed (its hash would change with it)
        hashed = tuple(f.name for f in known if (f.compare if f.hash is None else f.hash))
        methods["__hash__"] = _hash(_getter(hashed)) if frozen else None
    if frozen:
        methods["__setattr__"] = _refuse_assignment
        methods["__delattr__"] = _refuse_deletion
    for name, method in methods.items():
        if name not in cls.__dict__ or (name == "__hash__" and cls.__dict__[name] is None):
            setattr(cls, name, method)
    return cls


def _default(field: dataclasses.Field[Any]) -> Callable[[], Any] | None:
    """What makes ``field``'s value when none is given; None when one must be."""
    if field.default is not dataclasses.MISSING:
        value = field.default
        return lambda: value
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory
    return None


def _init(given: list[dataclasses.Field[Any]], made: list[dataclasses.Field[Any]],
          name: str, post_init: bool) -> Callable[..., None]:
    """``__init__`` of fields ``given`` (in order) and ``made`` (``init=False``: set from
    their defaults, or not at all without one, as dataclasses do)."""
    names = tuple(f.name for f in given)
    defaults = {f.name: _default(f) for f in given}
    made_defaults = {f.name: make for f in made if (make := _default(f)) is not None}

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        if not kwargs and len(args) == len(names):  # most calls: every field by position
            values = dict(zip(names, args, strict=True))
        else:
            values = _bind(args, kwargs)
        for key, make in made_defaults.items():
            values[key] = make()
        self.__dict__.update(values)
        if post_init:
            self.__post_init__()

    def _bind(args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
        if len(args) > len(names):
            raise TypeError(f"{name}() takes {len(names)} positional arguments "
                            f"but {len(args)} were given")
        values = dict(zip(names, args, strict=False))  # fewer: defaults below
        for key, value in kwargs.items():
            if key not in defaults:
                raise TypeError(f"{name}() got an unexpected keyword argument {key!r}")
            if key in values:
                raise TypeError(f"{name}() got multiple values for argument {key!r}")
            values[key] = value
        for key, make in defaults.items():
            if key not in values:
                if make is None:
                    raise TypeError(f"{name}() missing required argument: {key!r}")
                values[key] = make()
        return values

    return __init__


def _getter(names: tuple[str, ...]) -> Callable[[Any], object]:
    """The values of fields ``names`` of an instance, as one comparable, hashable value."""
    return attrgetter(*names) if names else (lambda _: ())


def _repr(names: tuple[str, ...]) -> Callable[[Any], str]:
    def __repr__(self: Any) -> str:
        inner = ", ".join(f"{key}={getattr(self, key)!r}" for key in names)
        return f"{type(self).__qualname__}({inner})"

    return __repr__


def _eq(values: Callable[[Any], object]) -> Callable[[Any, object], bool]:
    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is self.__class__:
            return bool(values(self) == values(other))
        return NotImplemented

    return __eq__


def _hash(values: Callable[[Any], object]) -> Callable[[Any], int]:
    def __hash__(self: Any) -> int:
        return hash(values(self))

    return __hash__


def _refuse_assignment(self: object, name: str, value: object) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _refuse_deletion(self: object, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
