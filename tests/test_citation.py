"""The copied citation (`y` in the explorer): the organisation named once, and the dataset's
own title, not "AI Alliance" for every --data (issue 14)."""

from __future__ import annotations

from pathlib import Path

from index import load_dataset
from index.describe import citation
from tests.builders import BUNDLED


def test_a_quote_does_not_repeat_the_organisation_its_role_names(minimal_dataset: Path) -> None:
    dataset = load_dataset(minimal_dataset)
    quote = dataset.resolve("quote:ibm-open")[0]  # role "IBM Chairman and CEO", member IBM
    cited = citation(quote, dataset)
    assert cited.startswith("“Open innovation wins.” — Arvind Krishna, IBM Chairman and CEO, 2023-12-05.")
    assert "International Business Machines" not in cited


def test_every_quote_names_its_organisation_once() -> None:
    dataset = load_dataset(BUNDLED)
    for quote in dataset.quotes:
        member = dataset.member(quote.member) if quote.member else None
        if member is None:
            continue
        who = citation(quote, dataset).split("” — ", 1)[1]  # after the quoted text
        names = [n for n in (member.name, member.short_name, *member.aliases) if n]
        assert any(name in who for name in names), who
        if any(name in quote.role for name in names):
            assert f"({member.name})" not in who, who  # "NASA (National Aeronautics ...)": once is enough
        else:
            assert who.count(member.name) == 1, who


def test_a_member_names_the_dataset_and_its_short_name_once(minimal_dataset: Path) -> None:
    dataset = load_dataset(minimal_dataset)  # "Test Alliance"
    cited = citation(dataset.resolve("member:ibm")[0], dataset)
    assert cited.startswith("International Business Machines (IBM): company, United States (US); ")
    assert "Test Alliance founding member since 2023-12-05." in cited
    assert "AI Alliance" not in cited


def test_a_short_name_already_in_the_name_is_not_repeated() -> None:
    dataset = load_dataset(BUNDLED)
    member = next(m for m in dataset.members if m.short_name and f"({m.short_name})" in m.name)
    cited = citation(member, dataset)
    assert cited.startswith(f"{member.name}: ")
    assert cited.count(f"({member.short_name})") == 1
