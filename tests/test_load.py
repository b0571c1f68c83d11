"""Loading and validating a data directory (index.load_dataset): every rule of data/README.md,
each broken on purpose, with the exact place (file:line) and the words of the message."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from index import DataError, Event, Member, PartialDate, Quote, Topic, load_dataset, to_json
from tests.builders import EVENTS_TOML, MINIMAL_FILES, problems, replace, write

# The kinds the minimal dataset has none of: every registered kind is counted.
NO_LATER_KINDS = {"projects": 0, "groups": 0, "people": 0}


def line_of(name: str, needle: str) -> int:
    """The 1-based line of ./name that contains needle (counting only LF as a line break, as TOML does)."""
    lines = Path(name).read_bytes().decode("utf-8-sig").split("\n")
    found = [number for number, line in enumerate(lines, start=1) if needle in line]
    assert len(found) == 1, f"{needle!r} is on lines {found} of {name}"
    return found[0]


def syntax_error(problem: str) -> str:
    """A TOML syntax error without tomllib's wording (which varies between Python versions)."""
    return (
        problem.split(": TOML syntax error")[0] + ": TOML syntax error" if ": TOML syntax error" in problem else problem
    )


def at(name: str, needle: str) -> str:
    """'name:line' of the line holding needle: where a field problem must be reported."""
    return f"{name}:{line_of(name, needle)}"


def record_at(name: str, record_id: str) -> str:
    """'name:line' of the [[table]] header of the record with that id: where record problems go."""
    lines = Path(name).read_bytes().decode("utf-8-sig").split("\n")
    number = line_of(name, f'id = "{record_id}"')
    while not lines[number - 1].lstrip().startswith("["):
        number -= 1
        assert number > 0, f"no table header above id {record_id!r} in {name}"
    return f"{name}:{number}"


TOPIC_BLOCK = """\
[[alliance.topic]]
id = "openness"
title = "How open is open?"
summary = "Members disagree."
members = ["ibm", "nasa"]
sources = ["https://example.org/openness"]
"""

SECTION_BLOCK = """\
[[alliance.section]]
id = "history"
title = "History"
text = "It began."
sources = ["https://example.org/history"]
"""


# --- a valid dataset -------------------------------------------------------------------------------


def test_minimal_dataset_loads_with_every_field(minimal_dataset):
    dataset = load_dataset(minimal_dataset)
    assert dataset.counts() == {**NO_LATER_KINDS, "members": 3, "quotes": 1, "events": 3, "topics": 1}
    assert dataset.files == ("alliance.toml", "events.toml", "members.toml", "quotes.toml")  # sorted path order
    alliance = dataset.alliance
    assert (alliance.id, alliance.name, alliance.founders) == ("test-alliance", "Test Alliance", ("ibm", "epfl"))
    assert str(alliance.founded) == "2023-12-05"
    assert [(f.label, f.value, f.sources) for f in alliance.figures] == [
        ("Members", "3", ()),
        ("Budget", "$1", ("https://example.org/budget",)),
    ]
    assert [s.id for s in alliance.sections] == ["history"]
    assert [t.id for t in dataset.topics] == ["openness"]
    ibm = dataset.member("ibm")
    assert isinstance(ibm, Member)
    assert (ibm.name, ibm.short_name, ibm.type, ibm.country, ibm.founding) == (
        "International Business Machines",
        "IBM",
        "company",
        "US",
        True,
    )
    quote = dataset.get("quote", "ibm-open")
    assert isinstance(quote, Quote)
    assert quote.translations == (("fr", "L'innovation ouverte gagne."),)
    assert quote.member == "ibm"
    assert str(quote.origin) == "quotes.toml:1"
    assert str(ibm.origin) == "members.toml:2"


def test_lookups_between_records(minimal_dataset):
    dataset = load_dataset(minimal_dataset)
    assert [q.id for q in dataset.quotes_of("ibm")] == ["ibm-open"]
    assert dataset.quotes_of("nasa") == ()
    assert [e.id for e in dataset.events_of("nasa")] == ["may-day", "may"]
    assert [e.id for e in dataset.events_of("epfl")] == ["launch"]
    assert [t.id for t in dataset.topics_of("nasa")] == ["openness"]
    assert dataset.topics_of("epfl") == ()
    by_type = dataset.members_by_type()
    assert list(by_type) == ["company", "university", "government"]  # MEMBER_TYPES order, empty types left out
    assert [m.id for m in by_type["government"]] == ["nasa"]
    by_country = dataset.members_by_country()
    assert list(by_country) == ["US", "CH"]  # largest group first
    assert [m.id for m in by_country["US"]] == ["ibm", "nasa"]
    assert dataset.member("nobody") is None


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("member:ibm", [("member", "ibm")]),
        ("ibm", [("member", "ibm")]),
        ("quote:ibm-open", [("quote", "ibm-open")]),
        ("ibm-open", [("quote", "ibm-open")]),
        ("event:launch", [("event", "launch")]),
        ("topic:openness", [("topic", "openness")]),
        ("quote:ibm", []),
        ("member:", []),
        ("nobody", []),
    ],
)
def test_resolve_refs(minimal_dataset, ref, expected):
    dataset = load_dataset(minimal_dataset)
    assert [(r.kind, r.id) for r in dataset.resolve(ref)] == expected


def test_same_id_in_two_kinds_is_allowed_and_a_bare_ref_is_ambiguous(minimal_dataset):
    write(
        minimal_dataset,
        "more-events.toml",
        '[[event]]\nid = "ibm"\ndate = "2024"\ntitle = "T"\nsummary = "S"\nsources = ["https://example.org/e"]\n',
    )
    dataset = load_dataset(minimal_dataset)
    assert sorted((r.kind, r.id) for r in dataset.resolve("ibm")) == [("event", "ibm"), ("member", "ibm")]
    assert [type(r) for r in dataset.resolve("member:ibm")] == [Member]
    assert [type(r) for r in dataset.resolve("event:ibm")] == [Event]


def test_partial_dates_sort_at_the_start_of_their_period_and_show_as_written(minimal_dataset):
    dataset = load_dataset(minimal_dataset)
    may, may_day = dataset.get("event", "may"), dataset.get("event", "may-day")
    assert str(may.date) == "2024-05" and may.date.precision == "month"
    assert str(may_day.date) == "2024-05-03" and may_day.date.precision == "day"
    assert may.date < may_day.date
    assert [e.id for e in sorted(dataset.events, key=lambda e: e.date)] == ["launch", "may", "may-day"]
    assert str(dataset.member("nasa").joined) == "2024-05"
    assert to_json(dataset.member("nasa"))["joined"] == "2024-05"
    assert PartialDate(2024) < PartialDate(2024, 1, 1) < PartialDate(2024, 1, 2)
    assert (str(PartialDate(2024)), PartialDate(2024).precision) == ("2024", "year")
    assert PartialDate(2024, 5).human() == "May 2024"


def test_year_only_date_string_loads(minimal_dataset):
    replace(minimal_dataset, "events.toml", 'date = "2024-05"', 'date = "2024"')
    event = load_dataset(minimal_dataset).get("event", "may")
    assert (str(event.date), event.date.precision) == ("2024", "year")


@pytest.mark.parametrize(("bom", "newline"), [(True, "\n"), (False, "\r\n"), (True, "\r\n")])
def test_bom_and_crlf_are_accepted(minimal_dataset, bom, newline):
    for name, text in MINIMAL_FILES.items():
        text = text.replace('summary = "Swiss university."', 'summary = """Swiss\nuniversity."""')
        write(minimal_dataset, name, (b"\xef\xbb\xbf" if bom else b"") + text.replace("\n", newline).encode())
    dataset = load_dataset(minimal_dataset)
    assert dataset.counts() == {**NO_LATER_KINDS, "members": 3, "quotes": 1, "events": 3, "topics": 1}
    assert dataset.member("epfl").summary == "Swiss\nuniversity."  # no stray carriage return
    assert dataset.member("ibm").name == "International Business Machines"  # no BOM glued to anything
    assert str(dataset.member("epfl").origin) == "members.toml:13"


def test_bom_and_crlf_keep_line_numbers_right(minimal_dataset):
    text = MINIMAL_FILES["members.toml"].replace('country = "CH"', 'country = "CHE"')
    write(minimal_dataset, "members.toml", b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    assert (
        "members.toml:18: member 'epfl': country: 'CHE' is not an ISO 3166-1 alpha-2 code (did you mean 'CH'?)"
        in problems(minimal_dataset)
    )


@pytest.mark.parametrize("block", [TOPIC_BLOCK, SECTION_BLOCK], ids=["topic", "section"])
def test_alliance_topics_and_sections_in_another_file_merge_into_the_one_alliance(minimal_dataset, block):
    replace(minimal_dataset, "alliance.toml", block, "")
    write(minimal_dataset, "extra/more.toml", block)
    dataset = load_dataset(minimal_dataset)
    assert [t.id for t in dataset.topics] == ["openness"]
    assert [s.id for s in dataset.alliance.sections] == ["history"]
    assert [t.id for t in dataset.topics_of("ibm")] == ["openness"]
    assert "extra/more.toml" in dataset.files


def test_hidden_files_are_ignored(minimal_dataset):
    write(minimal_dataset, ".members.toml.swp.toml", "not [[ toml")
    write(minimal_dataset, ".git/config.toml", "not [[ toml")
    assert load_dataset(minimal_dataset).counts()["members"] == 3


def test_text_may_hold_tab_and_newline(minimal_dataset):
    replace(minimal_dataset, "members.toml", 'summary = "Swiss university."', 'summary = "Swiss\\tuni\\nversity."')
    assert load_dataset(minimal_dataset).member("epfl").summary == "Swiss\tuni\nversity."


# --- TOML syntax, tables and keys ------------------------------------------------------------------


def test_toml_syntax_error_gives_file_line_and_column(minimal_dataset):
    replace(minimal_dataset, "members.toml", 'country = "CH"', 'country = "CH')
    found = problems(minimal_dataset)
    # line 18 is `country = "CH` (13 characters): the string is cut at the newline, column 14
    assert [syntax_error(p) for p in found if p.startswith("members.toml")] == ["members.toml:18:14: TOML syntax error"]


def test_toml_syntax_error_at_end_of_file_still_gives_line_and_column(minimal_dataset):
    write(minimal_dataset, "extra.toml", '# an unclosed string at the very end\nnote = """never closed\n\n')
    found = [p for p in problems(minimal_dataset) if p.startswith("extra.toml")]
    assert len(found) == 1
    # Guards a fixed bug (index/load.py parse_toml): Python < 3.14's tomllib says "(at end of document)" without a line;
    # the message then has no line:column at all.
    assert re.match(r"extra\.toml:\d+:\d+: TOML syntax error: Unterminated string", found[0]), (
        f"syntax error reported without line:column: {found[0]!r}"
    )


def test_duplicate_key_is_a_syntax_error_with_position(minimal_dataset):
    replace(minimal_dataset, "events.toml", 'title = "NASA joins"', 'title = "NASA joins"\ntitle = "Again"')
    assert [syntax_error(p) for p in problems(minimal_dataset)] == ["events.toml:22:16: TOML syntax error"]


def test_missing_required_field_is_reported_on_the_record_line(minimal_dataset):
    replace(minimal_dataset, "members.toml", 'summary = "Swiss university."\n', "")
    assert f"{record_at('members.toml', 'epfl')}: member 'epfl': missing required field 'summary'" in problems(
        minimal_dataset
    )


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "members.toml",
            'country = "CH"',
            'countyr = "CH"',
            "member 'epfl': unknown field 'countyr' (did you mean 'country'?)",
        ),
        (
            "quotes.toml",
            'speaker = "Arvind Krishna"',
            'speeker = "Arvind Krishna"',
            "quote 'ibm-open': unknown field 'speeker' (did you mean 'speaker'?)",
        ),
        (
            "events.toml",
            'tags = ["launch"]',
            'tag = ["launch"]',
            "event 'launch': unknown field 'tag' (did you mean 'tags'?)",
        ),
        (
            "alliance.toml",
            'governance = "A board."',
            'governanse = "A board."',
            "alliance 'test-alliance': unknown field 'governanse' (did you mean 'governance'?)",
        ),
        (
            "alliance.toml",
            'summary = "Members disagree."',
            'sumary = "Members disagree."',
            "topic 'openness': unknown field 'sumary' (did you mean 'summary'?)",
        ),
    ],
)
def test_unknown_field_with_did_you_mean_is_reported_on_its_line(minimal_dataset, file, old, new, expected):
    replace(minimal_dataset, file, old, new)
    assert f"{at(file, new)}: {expected}" in problems(minimal_dataset)


def test_unknown_field_without_a_close_match_has_no_suggestion(minimal_dataset):
    replace(minimal_dataset, "events.toml", 'tags = ["launch"]', 'tags = ["launch"]\ncolour = "red"')
    assert problems(minimal_dataset) == [f"{at('events.toml', 'colour')}: event 'launch': unknown field 'colour'"]


def test_misspelt_field_reports_both_the_unknown_and_the_missing_key(minimal_dataset):
    replace(
        minimal_dataset, "events.toml", 'summary = "Known only to the month."', 'sumary = "Known only to the month."'
    )
    assert problems(minimal_dataset) == [
        f"{record_at('events.toml', 'may')}: event 'may': missing required field 'summary'",
        f"{at('events.toml', 'sumary')}: event 'may': unknown field 'sumary' (did you mean 'summary'?)",
    ]


def test_unknown_table_with_did_you_mean(minimal_dataset):
    write(minimal_dataset, "extra.toml", '# a typo\n[[membr]]\nid = "x"\n')
    assert problems(minimal_dataset) == ["extra.toml:2: unknown table 'membr' (did you mean 'member'?)"]


def test_record_table_that_is_not_an_array_of_tables(minimal_dataset):
    write(minimal_dataset, "extra.toml", '[event]\nid = "x"\n')
    assert problems(minimal_dataset) == [
        "extra.toml:1: event must be an array of tables: write [[event]] before each record"
    ]


# --- types, ids, dates, URLs, countries, member types ------------------------------------------------


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "members.toml",
            "founding = false",
            'founding = "no"',
            "member 'nasa': founding: expected true or false, got a string (write true or false, without quotes)",
        ),
        (
            "members.toml",
            'name = "International Business Machines"',
            "name = 3",
            "member 'ibm': name: expected a string, got an integer",
        ),
        (
            "members.toml",
            'sources = ["https://example.org/nasa"]',
            'sources = "https://example.org/nasa"',
            "member 'nasa': sources: expected a list, got a string",
        ),
        (
            "members.toml",
            'sources = ["https://example.org/epfl"]',
            "sources = []",
            "member 'epfl': sources: needs at least one entry",
        ),
        ("members.toml", 'name = "International Business Machines"', 'name = "  "', "member 'ibm': name: is empty"),
        (
            "events.toml",
            'tags = ["launch"]',
            "tags = [1]",
            "event 'launch': tags: entry 1: expected a string, got an integer",
        ),
        (
            "quotes.toml",
            'translations.fr = "L\'innovation ouverte gagne."',
            'translations = "fr"',
            "quote 'ibm-open': translations: expected a table of language = text, got a string",
        ),
        (
            "quotes.toml",
            'lang = "en"',
            'lang = "EN"',
            "quote 'ibm-open': lang: 'EN' is not an ISO 639-1 language code (did you mean 'en'?)",
        ),
        (
            "alliance.toml",
            'governance = "A board."',
            "governance = true",
            "alliance 'test-alliance': governance: expected a string, got a boolean",
        ),
    ],
)
def test_wrong_type_is_reported_on_the_field_line(minimal_dataset, file, old, new, expected):
    replace(minimal_dataset, file, old, new)
    assert f"{at(file, new)}: {expected}" in problems(minimal_dataset)


NOT_AN_ID = "is not a valid id: use lowercase letters, digits and hyphens"


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "members.toml",
            'id = "epfl"',
            'id = "EPFL Lausanne"',
            f"member 'EPFL Lausanne': id: 'EPFL Lausanne' {NOT_AN_ID} (did you mean 'epfl-lausanne'?)",
        ),
        (
            "events.toml",
            'id = "may"',
            'id = "-may"',
            f"event '-may': id: '-may' {NOT_AN_ID} (did you mean 'may'?)",
        ),
        ("quotes.toml", 'id = "ibm-open"', "id = 7", "quote #1: id: expected a string, got an integer"),
        (
            "events.toml",
            'members = ["ibm", "epfl"]',
            'members = ["ibm", "EPFL"]',
            f"event 'launch': members: entry 2: 'EPFL' {NOT_AN_ID} (did you mean 'epfl'?)",
        ),
    ],
)
def test_bad_id(minimal_dataset, file, old, new, expected):
    replace(minimal_dataset, file, old, new)
    assert f"{at(file, new)}: {expected}" in problems(minimal_dataset)


@pytest.mark.parametrize(
    ("new", "expected"),
    [
        ('date = "2024-13"', "'2024-13' is not a valid month"),
        ('date = "2024-00"', "'2024-00' is not a valid month"),
        ('date = "2024-05-03"', "'2024-05-03' is a full date written as a string; write it without quotes"),
        ("date = 2024-05-03T10:00:00", "'2024-05-03T10:00:00' has a time of day; write a date such as 2023-12-05"),
        ('date = "May 2024"', '\'May 2024\' is not a date (use 2023-12-05, "2023-12" or "2023")'),
        ('date = "2024-5"', "'2024-5' is not a date"),
        ("date = 2024", "expected a date"),
    ],
)
def test_bad_date_is_reported_on_the_field_line(minimal_dataset, new, expected):
    replace(minimal_dataset, "events.toml", "date = 2024-05-03", new)
    found = problems(minimal_dataset)
    assert len(found) == 1
    assert found[0].startswith(f"{at('events.toml', new)}: event 'may-day': date: {expected}")


def test_year_zero_is_not_blamed_on_the_month(minimal_dataset):
    replace(minimal_dataset, "events.toml", 'date = "2024-05"', 'date = "0000"')
    (found,) = problems(minimal_dataset)
    assert found.startswith(f"{at('events.toml', '0000')}: event 'may': date: '0000' is not a valid ")
    # Guards a fixed bug (index/dates.py parse_partial_date): year 0 is reported as "'0000' is not a valid month";
    # "0000" has no month at all, the year is what is wrong.
    assert "month" not in found, f"year 0 reported as a bad month: {found!r}"


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "members.toml",
            '"https://example.org/epfl"',
            '"ftp://example.org/epfl"',
            "member 'epfl': sources: entry 1: 'ftp://example.org/epfl' is not an http(s) URL",
        ),
        (
            "alliance.toml",
            'website = "https://example.org"',
            'website = "example.org"',
            "alliance 'test-alliance': website: 'example.org' is not an http(s) URL",
        ),
        (
            "events.toml",
            '"https://example.org/joins"',
            '"https://example.org/a b"',
            "event 'may': sources: entry 1: 'https://example.org/a b' is not an http(s) URL",
        ),
        (
            "events.toml",
            '"https://example.org/joins"',
            '"https:///joins"',
            "event 'may': sources: entry 1: 'https:///joins' is not an http(s) URL",
        ),
        (
            "members.toml",
            'short_name = "IBM"',
            'short_name = "IBM"\nwebsite = "www.ibm.com"',
            "member 'ibm': website: 'www.ibm.com' is not an http(s) URL",
        ),
        (
            "alliance.toml",
            '{ value = "$1", sources = ["https://example.org/budget"] }',
            '{ value = "$1", sources = ["mailto:a@b.org"] }',
            "alliance 'test-alliance': figures: 'Budget': entry 1: 'mailto:a@b.org' is not an http(s) URL",
        ),
    ],
)
def test_bad_url(minimal_dataset, file, old, new, expected):
    replace(minimal_dataset, file, old, new)
    line = new.split("\n")[-1]
    assert f"{at(file, line)}: {expected}" in problems(minimal_dataset)


def test_bad_country_message_from_the_issue(minimal_dataset):
    replace(minimal_dataset, "members.toml", 'country = "US"\nfounding = false', 'country = "USA"\nfounding = false')
    assert (
        "members.toml:28: member 'nasa': country: 'USA' is not an ISO 3166-1 alpha-2 code (did you mean 'US'?)"
        in problems(minimal_dataset)
    )


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("CHE", " (did you mean 'CH'?)"),
        ("ch", " (did you mean 'CH'?)"),
        ("Switzerland", " (did you mean 'CH'?)"),
        ("XX", ""),
    ],
)
def test_unknown_country_code(minimal_dataset, value, hint):
    replace(minimal_dataset, "members.toml", 'country = "CH"', f'country = "{value}"')
    assert f"members.toml:18: member 'epfl': country: '{value}' is not an ISO 3166-1 alpha-2 code{hint}" in problems(
        minimal_dataset
    )


@pytest.mark.parametrize(("value", "hint"), [("universty", "university"), ("University", "university"), ("school", "")])
def test_unknown_member_type(minimal_dataset, value, hint):
    replace(minimal_dataset, "members.toml", 'type = "university"', f'type = "{value}"')
    expected = (
        f"members.toml:17: member 'epfl': type: '{value}' is not a member type; "
        "use one of company, university, research, nonprofit, government"
    )
    expected += f" (did you mean '{hint}'?)" if hint else ""
    assert expected in problems(minimal_dataset)


# --- control characters -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("escape", "code"),
    [
        ("\\u0000", "U+0000"),
        ("\\b", "U+0008"),
        ("\\r", "U+000D"),
        ("\\u000b", "U+000B"),
        ("\\u001b[31m", "U+001B"),
        ("\\u007f", "U+007F"),
        ("\\u0085", "U+0085"),
        ("\\u009b", "U+009B"),
        ("\\u009f", "U+009F"),
    ],
)
def test_control_characters_in_text_are_rejected(minimal_dataset, escape, code):
    replace(minimal_dataset, "members.toml", 'summary = "Swiss university."', f'summary = "Swiss {escape}university."')
    found = [p for p in problems(minimal_dataset) if p.startswith("members.toml")]
    assert len(found) == 1, found
    assert found[0].startswith(f"members.toml:21: member 'epfl': summary: contains control character {code} (")
    assert found[0].endswith(") at position 7; control and escape characters are not allowed in text")


@pytest.mark.parametrize("char", ["\\u00a0", "\\u00e9", "\\u2028", "\\u200b", "\\u00a9"])
def test_printable_non_ascii_text_is_accepted(minimal_dataset, char):
    replace(minimal_dataset, "members.toml", 'summary = "Swiss university."', f'summary = "Swiss {char}university."')
    assert load_dataset(minimal_dataset).member("epfl").summary.startswith("Swiss ")


def test_escape_character_is_named(minimal_dataset):
    replace(
        minimal_dataset, "members.toml", 'summary = "Swiss university."', 'summary = "Swiss \\u001b[31muniversity."'
    )
    assert (
        "members.toml:21: member 'epfl': summary: contains control character U+001B (escape) at position 7; "
        "control and escape characters are not allowed in text"
    ) in problems(minimal_dataset)


@pytest.mark.parametrize(
    ("file", "old", "new", "where"),
    [
        (
            "events.toml",
            'tags = ["launch"]',
            'tags = ["la\\u0007unch"]',
            "event 'launch': tags: contains control character U+0007",
        ),
        (
            "quotes.toml",
            "translations.fr = \"L'innovation",
            "translations.fr = \"\\u0085L'innovation",
            "quote 'ibm-open': translations: contains control character U+0085",
        ),
        (
            "alliance.toml",
            '"Members" = "3"',
            '"Members" = "3\\u009b"',
            "alliance 'test-alliance': figures: contains control character U+009B",
        ),
        (
            "alliance.toml",
            'title = "History"',
            'title = "Hist\\u007fory"',
            "section 'history': title: contains control character U+007F",
        ),
        ("members.toml", 'id = "epfl"', 'id = "ep\\u001bfl"', "member #2: id: contains control character U+001B"),
    ],
)
def test_control_characters_anywhere_in_a_value(minimal_dataset, file, old, new, where):
    replace(minimal_dataset, file, old, new)
    found = problems(minimal_dataset)
    assert any(p.startswith(f"{at(file, new)}: {where} ") for p in found), found


# --- duplicates and references -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "text", "kind", "first"),
    [
        (
            "zz/more.toml",
            '[[member]]\nid = "epfl"\nname = "E"\ntype = "university"\ncountry = "CH"\nfounding = false\n'
            'joined = 2024-01-01\nsummary = "S"\nsources = ["https://example.org/e"]\n',
            "member",
            "members.toml:13",
        ),
        (
            "zz/more.toml",
            '[[quote]]\nid = "ibm-open"\ntext = "T"\nspeaker = "S"\nrole = "R"\ndate = "2024"\nlang = "en"\nsources = ["https://example.org/q"]\n',
            "quote",
            "quotes.toml:1",
        ),
        (
            "zz/more.toml",
            '[[event]]\nid = "may"\ndate = "2024"\ntitle = "T"\nsummary = "S"\nsources = ["https://example.org/e"]\n',
            "event",
            "events.toml:18",
        ),
        ("zz/more.toml", TOPIC_BLOCK, "topic", "alliance.toml:22"),
        ("zz/more.toml", SECTION_BLOCK, "section", "alliance.toml:16"),
    ],
    ids=["member", "quote", "event", "topic", "section"],
)
def test_duplicate_id_in_another_file_names_the_first_place(minimal_dataset, file, text, kind, first):
    write(minimal_dataset, file, "# duplicate\n" + text)
    record_id = re.search(r'id = "([^"]+)"', text).group(1)
    assert problems(minimal_dataset) == [f"{file}:2: {kind} {record_id!r}: id: duplicate id (first defined at {first})"]


def test_duplicate_id_in_the_same_file(minimal_dataset):
    replace(minimal_dataset, "events.toml", 'id = "may"', 'id = "launch"')
    assert problems(minimal_dataset) == [
        "events.toml:18: event 'launch': id: duplicate id (first defined at events.toml:1)"
    ]


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "quotes.toml",
            'member = "ibm"',
            'member = "ibn"',
            "quotes.toml:1: quote 'ibm-open': member: no member with id 'ibn' (did you mean 'ibm'?)",
        ),
        (
            "events.toml",
            'members = ["ibm", "epfl"]',
            'members = ["ibm", "epf"]',
            "events.toml:1: event 'launch': members: no member with id 'epf' (did you mean 'epfl'?)",
        ),
        (
            "alliance.toml",
            'founders = ["ibm", "epfl"]',
            'founders = ["ibm", "meta"]',
            "alliance.toml:2: alliance 'test-alliance': founders: no member with id 'meta'",
        ),
        (
            "alliance.toml",
            'members = ["ibm", "nasa"]',
            'members = ["ibm", "nassa"]',
            "alliance.toml:22: topic 'openness': members: no member with id 'nassa' (did you mean 'nasa'?)",
        ),
    ],
    ids=["quote.member", "event.members", "alliance.founders", "topic.members"],
)
def test_dangling_reference(minimal_dataset, file, old, new, expected):
    replace(minimal_dataset, file, old, new)
    assert problems(minimal_dataset) == [expected]


@pytest.mark.parametrize(
    ("file", "old", "new", "own_problem"),
    [
        (
            "members.toml",
            'country = "US"\nfounding = false',
            'country = "USA"\nfounding = false',
            "members.toml:28: member 'nasa': country: 'USA' is not an ISO 3166-1 alpha-2 code (did you mean 'US'?)",
        ),
        ("members.toml", 'country = "CH"', 'country = "CH', "members.toml:18:14: TOML syntax error"),
    ],
    ids=["invalid-member", "unparsable-members-file"],
)
def test_a_broken_member_is_not_also_reported_as_missing_everywhere(minimal_dataset, file, old, new, own_problem):
    replace(minimal_dataset, file, old, new)
    found = [syntax_error(p) for p in problems(minimal_dataset)]
    assert own_problem in found
    # Guards a fixed bug (index/load.py _check_references): references are checked against the members that passed
    # validation only, so a member with one bad field (or a members file with a syntax error) is also
    # reported as "no member with id ..." at every quote, event, topic and founder list naming it.
    assert found == [own_problem], "spurious dangling-reference problems:\n" + "\n".join(found)


def test_an_invalid_record_still_has_its_references_checked(minimal_dataset):
    replace(minimal_dataset, "events.toml", "date = 2024-05-03", 'date = "2024-13"')
    replace(
        minimal_dataset,
        "events.toml",
        'members = ["nasa"]\nsources = ["https://example.org/workshop"]',
        'members = ["nassa"]\nsources = ["https://example.org/workshop"]',
    )
    found = problems(minimal_dataset)
    assert "events.toml:12: event 'may-day': date: '2024-13' is not a valid month" in found
    # Guards a fixed bug (index/load.py _check_references): records that failed field validation are dropped before the
    # reference check, so their dangling references only show up on the next run: not "all at once".
    assert any("event 'may-day': members: no member with id 'nassa'" in p for p in found), (
        "dangling reference of an invalid event not reported:\n" + "\n".join(found)
    )


# --- the [alliance] table -----------------------------------------------------------------------------


def test_second_alliance_names_both_places(minimal_dataset):
    write(minimal_dataset, "zz/other.toml", '# another\n\n[alliance]\nid = "other"\n')
    assert problems(minimal_dataset) == [
        "zz/other.toml:3: second [alliance] table (first at alliance.toml:2); only one allowed"
    ]


def test_missing_alliance(minimal_dataset):
    (minimal_dataset / "alliance.toml").unlink()
    found = problems(minimal_dataset)
    assert found[0] == ".: no [alliance] table in any file: a dataset needs exactly one"
    assert len(found) == 1


def test_alliance_file_with_a_syntax_error_is_not_also_reported_missing(minimal_dataset):
    replace(minimal_dataset, "alliance.toml", 'name = "Test Alliance"', 'name = "Test Alliance')
    assert [syntax_error(p) for p in problems(minimal_dataset)] == ["alliance.toml:4:22: TOML syntax error"]


def test_alliance_missing_fields_are_reported_on_its_header(minimal_dataset):
    replace(minimal_dataset, "alliance.toml", 'governance = "A board."\n', "")
    replace(minimal_dataset, "alliance.toml", 'mission = "Test the loader."\n', "")
    assert problems(minimal_dataset) == [
        # same line: sorted by message
        "alliance.toml:2: alliance 'test-alliance': missing required field 'governance'",
        "alliance.toml:2: alliance 'test-alliance': missing required field 'mission'",
    ]


# --- all at once, sorted ------------------------------------------------------------------------------


def test_every_problem_is_reported_at_once_sorted_by_file_then_line(minimal_dataset):
    # Several problems in several files, written so that the lines are not in order inside a file
    # and line 8 must come before line 25 (numerically, not as text).
    replace(minimal_dataset, "alliance.toml", 'summary = "Members disagree."', 'summary = ""')  # line 25
    replace(minimal_dataset, "alliance.toml", 'website = "https://example.org"', 'website = "example.org"')  # line 8
    replace(minimal_dataset, "events.toml", 'title = "NASA joins"', 'title = "NASA joins"\nwhen = 2024')  # line 22
    replace(minimal_dataset, "events.toml", "date = 2024-05-03", 'date = "2024-13"')  # line 12
    replace(minimal_dataset, "events.toml", 'title = "Alliance launched"', "title = 3")  # line 4
    replace(minimal_dataset, "quotes.toml", 'lang = "en"', 'lang = "xx"')  # line 8
    write(minimal_dataset, "broken.toml", "# fine\n[[event]\n")  # syntax error, line 2
    write(minimal_dataset, "data.toml", b"# caf\xe9\n")  # not UTF-8
    assert [syntax_error(p) for p in problems(minimal_dataset)] == [
        "alliance.toml:8: alliance 'test-alliance': website: 'example.org' is not an http(s) URL",
        "alliance.toml:25: topic 'openness': summary: is empty",
        "broken.toml:2:8: TOML syntax error",
        "data.toml:1:6: not UTF-8 text (byte 0xe9); save the file as UTF-8",
        "events.toml:4: event 'launch': title: expected a string, got an integer",
        "events.toml:12: event 'may-day': date: '2024-13' is not a valid month",
        "events.toml:22: event 'may': unknown field 'when'",
        "quotes.toml:8: quote 'ibm-open': lang: 'xx' is not an ISO 639-1 language code",
    ]
    with pytest.raises(DataError) as caught:
        load_dataset(minimal_dataset)
    assert str(caught.value) == "\n".join(problems(minimal_dataset))


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"], ids=["U+2028", "U+2029", "NEL"])
def test_unicode_line_separators_in_comments_do_not_shift_line_numbers(minimal_dataset, separator):
    # TOML lines end at LF only; U+2028, U+2029 and NEL are ordinary characters in a comment.
    text = f"# a comment{separator}with an odd character\n" + MINIMAL_FILES["members.toml"]
    write(minimal_dataset, "members.toml", text.replace('country = "CH"', 'country = "XX"'))
    found = [p for p in problems(minimal_dataset) if p.startswith("members.toml")]
    # Guards a fixed bug (index/locate.py locate): str.splitlines() also breaks at U+2028/U+2029/U+0085 (and U+000B,
    # U+000C, U+001C-U+001E), so every line after such a character is reported one line too far.
    assert found == ["members.toml:19: member 'epfl': country: 'XX' is not an ISO 3166-1 alpha-2 code"], (
        f"line numbers shifted by a {separator!r} in a comment: {found}"
    )


def test_a_multiline_string_that_looks_like_tables_does_not_shift_records(minimal_dataset):
    looks_like_toml = 'summary = """\n[[member]]\nid = "fake"\n[alliance]\n"""'
    replace(minimal_dataset, "members.toml", 'summary = "Co-founder of the alliance."', looks_like_toml)
    replace(minimal_dataset, "members.toml", 'country = "CH"', 'country = "XX"')
    replace(minimal_dataset, "members.toml", 'joined = "2024-05"', 'joined = "2024-5"')
    assert [p for p in problems(minimal_dataset) if p.startswith("members.toml")] == [
        f"{at('members.toml', 'XX')}: member 'epfl': country: 'XX' is not an ISO 3166-1 alpha-2 code",
        f"{at('members.toml', '2024-5')}: member 'nasa': joined: '2024-5' is not a date (use 2023-12-05, "
        '"2023-12" or "2023")',
    ]
    assert record_at("members.toml", "nasa") == "members.toml:28"


# --- the data directory and its files ------------------------------------------------------------------


def test_empty_data_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    write(tmp_path / "data", "README.md", "# not a TOML file\n")
    assert problems(tmp_path / "data") == ["data: no *.toml files in the data directory"]


def test_missing_data_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert problems(tmp_path / "nowhere") == ["nowhere: data directory does not exist"]


def test_data_path_that_is_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "data.toml", "")
    assert problems(tmp_path / "data.toml") == ["data.toml: data path is not a directory"]


def test_file_that_is_not_utf8(minimal_dataset):
    write(minimal_dataset, "latin1.toml", b'# ok\n[[event]]\ntitle = "caf' + b'\xe9"\n')
    assert problems(minimal_dataset) == ["latin1.toml:3:13: not UTF-8 text (byte 0xe9); save the file as UTF-8"]


def test_toml_named_directory(minimal_dataset):
    (minimal_dataset / "more.toml").mkdir()
    assert problems(minimal_dataset) == ["more.toml: is a directory, not a TOML file"]


def test_unreadable_file(minimal_dataset):
    path = minimal_dataset / "quotes.toml"
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):  # root (as in CI): permissions do not stop reading
            assert load_dataset(minimal_dataset).counts()["quotes"] == 1
        else:
            assert problems(minimal_dataset) == ["quotes.toml: cannot read file: permission denied"]
    finally:
        path.chmod(0o644)


def test_permission_denied_message(minimal_dataset, monkeypatch):
    """The unreadable-file message, whoever runs the tests (root can read a chmod 000 file)."""
    real_read_bytes = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "quotes.toml":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    # the quote is gone, and nothing refers to quotes: no other problem
    assert problems(minimal_dataset) == ["quotes.toml: cannot read file: permission denied"]


def test_symlink_loop_is_reported_and_not_followed(minimal_dataset):
    (minimal_dataset / "sub").mkdir()
    (minimal_dataset / "sub" / "up").symlink_to("..", target_is_directory=True)
    # each file is read once: no duplicate ids
    assert problems(minimal_dataset) == ["sub/up: symlink loop: directory already read, skipped"]


def test_symlink_to_itself(minimal_dataset):
    (minimal_dataset / "self.toml").symlink_to("self.toml")
    found = problems(minimal_dataset)
    assert len(found) == 1 and found[0].startswith("self.toml: ") and "symlink" in found[0], found


def test_broken_symlink(minimal_dataset):
    (minimal_dataset / "gone.toml").symlink_to("nowhere.toml")
    assert problems(minimal_dataset) == ["gone.toml: broken symlink"]


def test_symlinked_file_and_directory_are_read(minimal_dataset, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    write(elsewhere, "topics.toml", TOPIC_BLOCK.replace("openness", "licences"))
    (minimal_dataset / "linked").symlink_to(elsewhere, target_is_directory=True)
    (minimal_dataset / "also.toml").symlink_to(elsewhere / "topics.toml")
    found = problems(minimal_dataset)  # the same topic seen through both links
    assert found == ["linked/topics.toml:1: topic 'licences': id: duplicate id (first defined at also.toml:1)"]
    (minimal_dataset / "also.toml").unlink()
    assert [t.id for t in load_dataset(minimal_dataset).topics] == ["openness", "licences"]


def test_data_error_lists_problems_sorted_and_typed(minimal_dataset):
    replace(minimal_dataset, "events.toml", "date = 2024-05-03", 'date = "2024-13"')
    with pytest.raises(DataError) as caught:
        load_dataset(minimal_dataset)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.column) == ("events.toml", 12, 0)
    assert problem.message == "event 'may-day': date: '2024-13' is not a valid month"


def test_records_are_plain_data(minimal_dataset):
    dataset = load_dataset(minimal_dataset)
    topic = dataset.topics[0]
    assert isinstance(topic, Topic) and topic.kind == "topic"
    assert to_json(topic) == {
        "kind": "topic",
        "id": "openness",
        "title": "How open is open?",
        "summary": "Members disagree.",
        "members": ["ibm", "nasa"],
        "sources": ["https://example.org/openness"],
    }
    assert EVENTS_TOML.count("[[event]]") == len(dataset.events)
