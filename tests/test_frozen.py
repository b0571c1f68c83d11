"""index/frozen.py: `@frozen` classes behave as `@dataclass(frozen=True)` ones, side by side."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from dataclasses import FrozenInstanceError, dataclass, field

import msgspec
import pytest

from index.frozen import frozen


def pair(order: bool = False, slots: bool = False) -> tuple[type, type]:
    """The same class made by dataclass and by frozen."""

    def body() -> dict[str, object]:
        return {
            "__annotations__": {
                "id": "str", "size": "int", "tags": "tuple[str, ...]",
                "where": "str", "kind": "str", "extra": "list[int]",
            },
            "size": 0,
            "tags": (),
            "where": field(default="nowhere", compare=False, repr=False),
            "kind": field(default="thing", init=False, repr=False),
            "extra": field(default_factory=list, compare=False),
        }  # fmt: skip

    made = dataclass(frozen=True, order=order, slots=slots)(type("Thing", (), body()))
    ours = frozen(order=order, slots=slots)(type("Thing", (), body()))
    return made, ours


VARIANTS = [{}, {"order": True}, {"slots": True}, {"order": True, "slots": True}]


@pytest.mark.parametrize("options", VARIANTS)
def test_the_same_as_a_frozen_dataclass(options: dict[str, bool]) -> None:
    made, ours = pair(**options)
    calls = [(("a",), {}), (("a", 2), {}), (("a",), {"tags": ("x",)}), ((), {"id": "b", "where": "f.toml:3"})]
    for args, kwargs in calls:
        theirs, mine = made(*args, **kwargs), ours(*args, **kwargs)
        assert repr(theirs) == repr(mine)
        assert hash(theirs) == hash(mine)
        assert [getattr(mine, f.name) for f in dataclasses.fields(mine)] == [
            getattr(theirs, f.name) for f in dataclasses.fields(theirs)
        ]
        assert dataclasses.asdict(mine) == dataclasses.asdict(theirs)
        assert mine.kind == "thing" and mine.extra == [] and mine.extra is not ours("z").extra
    # compare=False fields do not count; another class never equals.
    assert ours("a", where="x") == ours("a", where="y")
    assert hash(ours("a", where="x")) == hash(ours("a", where="y"))
    assert ours("a") != ours("b") and ours("a") != made("a")
    assert dataclasses.replace(ours("a", 1), size=5) == ours("a", 5)
    assert ours.__match_args__ == made.__match_args__
    if options.get("order"):
        assert ours("a", 1) < ours("a", 2) <= ours("b") and ours("b") > ours("a") >= ours("a")
        with pytest.raises(TypeError):
            ours("a") < made("a")  # noqa: B015
    else:
        with pytest.raises(TypeError):
            ours("a") < ours("b")  # noqa: B015


@pytest.mark.parametrize("options", VARIANTS)
def test_frozen_and_errors_as_a_dataclass(options: dict[str, bool]) -> None:
    made, ours = pair(**options)
    thing = ours("a")
    with pytest.raises(FrozenInstanceError):
        thing.id = "b"
    with pytest.raises(FrozenInstanceError):
        del thing.id
    bad_calls = [((), {}), (("a", 1, (), "w", [], "x"), {}), (("a",), {"id": "b"}), (("a",), {"kind": "x"})]
    for bad in [*bad_calls, (("a",), {"nope": 1})]:
        with pytest.raises(TypeError):
            made(*bad[0], **bad[1])
        with pytest.raises(TypeError):
            ours(*bad[0], **bad[1])


@frozen
class Plain:
    id: str
    where: str = field(default="nowhere", compare=False, repr=False)
    kind: str = field(default="plain", init=False, repr=False)


@frozen(slots=True, order=True)
class Slotted:
    id: str
    where: str = field(default="nowhere", compare=False, repr=False)
    kind: str = field(default="slotted", init=False, repr=False)


@pytest.mark.parametrize("cls", [Plain, Slotted])
def test_copies_pickle_and_msgspec(cls: type) -> None:
    thing = cls("a", where="f.toml:1")
    for copied in (copy.copy(thing), copy.deepcopy(thing), pickle.loads(pickle.dumps(thing))):
        assert copied == thing and copied.where == "f.toml:1" and copied.kind == thing.kind
    decoded = msgspec.msgpack.decode(msgspec.msgpack.encode(thing), type=cls)
    assert decoded == thing and decoded.where == "f.toml:1"


def test_post_init_runs() -> None:
    seen = []

    @frozen
    class Checked:
        value: int

        def __post_init__(self) -> None:
            seen.append(self.value)

    Checked(4)
    assert seen == [4]
