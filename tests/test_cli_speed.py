"""What a piped read-only command no longer does (issue 17: `show`, `list` and `search`
should answer about as fast as a one-shot script, and each under 1.5 s at 100k records).

- `show` builds no map of every record's back-links to show one record's (~0.3 s at 100k);
  the answers of the one-record scan are the map's, for every record (`Dataset.linking`).
- `list KIND` decodes only that kind's records from the snapshot (`read_kind`).
- The piped commands do not import modules only other paths use (shutil and its
  compressors, difflib, secrets; the country table for `list`).
- Whoosh reads the index files through a read-only mapping of the checked descriptor.

tests/benchmarks/cli.py measures the times.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import mmap
import typing

import pytest

import index.snapshot
from index.kinds import kinds
from index.load import load_dataset
from index.model import Dataset
from index.store import INDEX_NAME, cache_root
from index.trust import Untrusted, private_cache, trusted_storage
from tests.test_cli_cache import imported_by, run
from tui.cli import build_parser

# -- show: one record's back-links, not the map of all ------------------------------------------


def _fresh(dataset: Dataset) -> Dataset:
    """The same records in a Dataset with nothing computed yet."""
    return Dataset(dataset.alliance, dataset.records, dataset.root, dataset.files, dataset.fingerprint)


@pytest.fixture(scope="module")
def bundled() -> Dataset:
    """The bundled data, plus a person and a member with the same id, named by a group both
    as its lead (person or member: the person wins) and as a member (members only)."""
    dataset = load_dataset(None)
    person = dataset.people[0]
    twin = dataclasses.replace(dataset.members[0], id=person.id)
    group = dataclasses.replace(dataset.groups[0], id="both-ways", lead=(person.id,), members=(person.id,))
    records = dict(dataset.records)
    records["member"] = (*records["member"], twin)
    records["group"] = (*records["group"], group)
    return Dataset(dataset.alliance, records, dataset.root, dataset.files, "")


def test_one_records_backlinks_are_the_maps_and_build_no_map(bundled):
    reference = _fresh(bundled)
    everything = [record for records in bundled.records.values() for record in records]
    for record in everything:
        dataset = _fresh(bundled)
        for kind in kinds():
            assert dataset.linking(kind.name, record) == reference._linking.get((kind.name, record.kind, record.id), ())
        assert "_linking" not in dataset.__dict__, f"{record.kind}:{record.id}: the map of all was built"
    twin_member = bundled.get("member", bundled.people[0].id)
    person = bundled.people[0]
    group = bundled.get("group", "both-ways")
    assert group in _fresh(bundled).linking("group", person)  # by its lead
    assert group in _fresh(bundled).linking("group", twin_member)  # by its members


def test_many_records_backlinks_build_the_map_once(bundled):
    """A caller that walks record after record (the explorer) soon gets the map's answers."""
    reference = _fresh(bundled)
    dataset = _fresh(bundled)
    for record in bundled.members:
        for kind in kinds():
            assert dataset.linking(kind.name, record) == reference._linking.get((kind.name, "member", record.id), ())
    assert "_linking" in dataset.__dict__


def test_show_builds_no_backlink_map(minimal_dataset, monkeypatch):
    """`alliance show` (and --json) answers as before without the map of every record."""
    cases = [["show", "member:nasa"], ["show", "ibm", "--json"], ["show", "ibm"], ["show", "quote:ibm-open"]]
    before = {tuple(args): run(*args, cwd=minimal_dataset) for args in cases}  # also writes the snapshot
    assert all(result.returncode == 0 for result in before.values()), before

    def no_map(self: Dataset) -> typing.NoReturn:
        raise AssertionError("the back-links of every record were computed")

    monkeypatch.setattr(Dataset, "_linking", property(no_map))
    for args in cases:
        after = run(*args, cwd=minimal_dataset)
        assert (after.returncode, after.stdout, after.stderr) == (0, before[tuple(args)].stdout, ""), args


# -- list: one kind decoded ---------------------------------------------------------------------


def test_list_decodes_only_the_listed_kind(minimal_dataset, monkeypatch):
    expected = {plural: run("list", plural, "--json", cwd=minimal_dataset) for plural in ("members", "quotes")}
    decoded: list[object] = []
    real = index.snapshot._decoder

    def spy(shape: object) -> object:
        decoded.append(shape)
        return real(shape)

    monkeypatch.setattr(index.snapshot, "_decoder", spy)
    for plural, kind in (("members", "Member"), ("quotes", "Quote")):
        decoded.clear()
        result = run("list", plural, "--json", cwd=minimal_dataset)
        assert (result.returncode, result.stdout) == (0, expected[plural].stdout)
        records = [typing.get_args(shape)[0].__name__ for shape in decoded if typing.get_origin(shape) is tuple]
        assert records == [kind], f"list {plural} decoded {records}"


def test_list_without_a_snapshot_parses_and_writes_one(minimal_dataset):
    assert index.snapshot.read_kind(".", "member") is None
    first = run("list", "members", cwd=minimal_dataset)
    assert first.returncode == 0 and "nasa" in first.stdout
    members = index.snapshot.read_kind(".", "member")
    assert members is not None and [m.id for m in members] == [m.id for m in load_dataset(".").members]
    assert index.snapshot.read_kind(".", "no-such-kind") is None  # and the snapshot is kept:
    assert index.snapshot.read_kind(".", "member") == members


# -- imports ------------------------------------------------------------------------------------

# Imported by argparse's formatter (shutil, for the terminal width), by a "did you mean"
# (difflib), by temporary names (secrets): none of which a piped read needs.
NOT_FOR_READING = {"shutil", "bz2", "lzma", "difflib", "secrets"}


@pytest.mark.parametrize(
    ("args", "unwanted"),
    [
        (["show", "member:nasa"], NOT_FOR_READING | {"index.filters"}),  # the search options
        (["list", "members"], NOT_FOR_READING | {"index.countries"}),
        (["list", "quotes", "--format", "csv"], NOT_FOR_READING | {"index.countries"}),
        (["search", "nasa", "--json"], {"difflib", "secrets", "index.countries"}),
    ],
)
def test_piped_commands_import_only_what_they_use(minimal_dataset, args, unwanted):
    for _ in range(2):  # the second call reads the caches the first one wrote
        result, modules = imported_by(*args, "--data", ".", cwd=minimal_dataset)
        assert result.returncode == 0, result.stderr
    assert not modules & unwanted, sorted(modules & unwanted)


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


def test_the_lazy_parser_is_the_whole_parser():
    """main()'s parser adds a subcommand's options when it is used: same help, same results."""
    whole = build_parser()
    assert build_parser(lazy=True).format_help() == whole.format_help()
    for name, subparser in _subcommands(build_parser(lazy=True)).items():
        assert subparser.format_help() == _subcommands(whole)[name].format_help(), name
    for argv in (
        ["show", "member:nasa", "--json"],
        ["list", "members", "--country", "CH", "--founding", "--format", "csv"],
        ["search", "open", "source", "--limit", "3", "--kind", "member"],
        ["--data", "elsewhere", "index", "build", "--force"],
        ["validate", "--data", "elsewhere"],
        [],
    ):
        assert vars(build_parser(lazy=True).parse_args(argv)) == vars(whole.parse_args(argv)), argv


# -- search: index files mapped, after the checks -----------------------------------------------


def test_index_files_are_mapped_after_the_trust_checks(minimal_dataset):
    assert run("index", "build", cwd=minimal_dataset).returncode == 0
    cache, _why = private_cache(cache_root(), create=False)
    assert cache is not None
    with cache:
        (name,) = [n for n in cache.names() if INDEX_NAME.fullmatch(n)]
        with cache.open_dir(name) as folder:
            storage = trusted_storage(folder)
            names = folder.names()
            segment = next(n for n in names if n.endswith(".trm"))
            handle = storage.open_file(segment)
            assert isinstance(handle.file, mmap.mmap)
            assert handle.read() == folder.read_bytes(segment)
            handle.close()
            empty = next(n for n in names if folder.lstat(n).st_size == 0)  # MAIN_WRITELOCK
            assert isinstance(storage.open_file(empty).file, io.BytesIO)
            (folder.path / "planted").symlink_to(folder.path / segment)
            with pytest.raises(Untrusted):
                storage.open_file("planted")
