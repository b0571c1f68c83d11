"""Frozen dataclasses whose methods are not generated source.

`@dataclass(frozen=True)` writes each class's `__init__`, `__repr__`, `__eq__`, `__hash__`,
`__setattr__` and `__delattr__` as Python source and compiles it when the module is
imported: about 5 million instructions a class (valgrind), 95 million for the 18 the
explorer imports before its first frame, about half of what its own modules cost there.
`@frozen` gives the same class (`dataclasses.fields`, `replace`, `asdict`, msgspec, pickle
and `match` all see a dataclass) with those methods shared, reading the field names the
class was built with: nothing is compiled.

What it keeps of `@dataclass(frozen=True)`: positional and keyword arguments, defaults
and default factories, `init=False` fields set from their default, `compare=False`
fields left out of ==, < and hash, `repr=False` fields out of the repr, `order=True`,
`slots=True`, `__post_init__`, and `FrozenInstanceError` on assignment or deletion.
tests/test_frozen.py holds both kinds of class side by side.
"""

from __future__ import annotations

import reprlib
from collections.abc import Callable
from dataclasses import MISSING, FrozenInstanceError, dataclass, fields
from typing import Any, TypeVar

T = TypeVar("T")


def frozen(cls: type[T] | None = None, /, *, order: bool = False, slots: bool = False) -> Any:
    """`@dataclass(frozen=True, order=order, slots=slots)`, without compiling its methods."""

    def wrap(cls: type[T]) -> type[T]:
        # The fields, `__match_args__` and the slots, from dataclasses itself: none of
        # init, repr, eq or frozen, which are what it would compile.
        cls = dataclass(cls, init=False, repr=False, eq=False, slots=slots)  # type: ignore[call-overload]
        _install(cls, order=order, slots=slots)
        return cls

    return wrap if cls is None else wrap(cls)


def _install(cls: type, *, order: bool, slots: bool) -> None:
    every = fields(cls)
    init = tuple(f for f in every if f.init)
    later = tuple(f for f in every if not f.init)
    names = tuple(f.name for f in init)
    required = tuple(f.name for f in init if f.default is MISSING and f.default_factory is MISSING)
    compared = tuple(f.name for f in every if f.compare)
    shown = tuple(f.name for f in every if f.repr)
    post_init = getattr(cls, "__post_init__", None)
    set_field = object.__setattr__

    def default(f: Any) -> Any:
        return f.default_factory() if f.default is MISSING else f.default

    known = frozenset(names)
    defaults = tuple((f.name, f) for f in init if f.name not in required)
    later_defaults = tuple(f for f in later if f.default is not MISSING or f.default_factory is not MISSING)

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        if args:
            if len(args) > len(names):
                raise TypeError(f"{cls.__name__}() takes {len(names)} positional arguments but {len(args)} were given")
            for name, value in zip(names, args, strict=False):  # fewer args than names: the rest below
                if name in kwargs:
                    raise TypeError(f"{cls.__name__}() got multiple values for argument {name!r}")
                set_field(self, name, value)
        for name, value in kwargs.items():
            if name not in known:
                raise TypeError(f"{cls.__name__}() got an unexpected keyword argument {name!r}")
            set_field(self, name, value)
        if len(args) + len(kwargs) < len(names):
            given = set(names[: len(args)]) | kwargs.keys()
            for name in required:
                if name not in given:
                    raise TypeError(f"{cls.__name__}() missing required argument: {name!r}")
            for name, f in defaults:
                if name not in given:
                    set_field(self, name, default(f))
        for f in later_defaults:
            set_field(self, f.name, default(f))
        if post_init is not None:
            post_init(self)

    def key(self: Any) -> tuple[Any, ...]:
        return tuple([getattr(self, name) for name in compared])

    @reprlib.recursive_repr()
    def __repr__(self: Any) -> str:
        shown_fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
        return f"{type(self).__qualname__}({shown_fields})"

    def __eq__(self: Any, other: Any) -> bool:
        if other.__class__ is self.__class__:
            return key(self) == key(other)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash(key(self))

    def __setattr__(self: Any, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self: Any, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    methods: dict[str, Callable[..., Any]] = {
        "__init__": __init__,
        "__repr__": __repr__,
        "__eq__": __eq__,
        "__hash__": __hash__,
        "__setattr__": __setattr__,
        "__delattr__": __delattr__,
    }
    if order:
        comparisons = {"__lt__": tuple.__lt__, "__le__": tuple.__le__, "__gt__": tuple.__gt__, "__ge__": tuple.__ge__}
        for name, compare in comparisons.items():
            methods[name] = _ordering(key, compare)
    if slots:
        every_name = tuple(f.name for f in every)

        def __getstate__(self: Any) -> list[Any]:
            return [getattr(self, name) for name in every_name]

        def __setstate__(self: Any, state: list[Any]) -> None:
            for name, value in zip(every_name, state, strict=True):
                set_field(self, name, value)

        methods["__getstate__"] = __getstate__
        methods["__setstate__"] = __setstate__
    for name, method in methods.items():
        if cls.__dict__.get(name) is not None:
            continue  # the class's own (dataclass too leaves a method it finds written)
        method.__qualname__ = f"{cls.__qualname__}.{name}"
        setattr(cls, name, method)


Compare = Callable[[tuple[Any, ...], tuple[Any, ...]], bool]


def _ordering(key: Callable[[Any], tuple[Any, ...]], compare: Compare) -> Callable[..., Any]:
    def method(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return compare(key(self), key(other))
        return NotImplemented

    return method
