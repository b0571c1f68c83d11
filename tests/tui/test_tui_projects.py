"""Projects, groups and people in the explorer: the Projects pane (6), links to and from
members, groups and chapters from the Overview, --open on the new kinds, and a dataset
without any of them."""

from __future__ import annotations

from textual.widgets import Tabs
from tui_helpers import move_to, ready, refs, rendered, title

from index import load_dataset


async def test_pane_6_lists_projects_by_status_then_groups_and_people(make_app, dataset):
    app = make_app(preview=False)
    async with app.run_test(size=(110, 30)) as pilot:
        await ready(pilot)
        await pilot.press("6")
        pane = app.pane("projects")
        assert app.current_pane is pane and app.query_one("#tabs", Tabs).active == "tab-projects"
        listed = refs(pane.list)
        assert {f"project:{p.id}" for p in dataset.projects} <= set(listed)
        assert {f"group:{g.id}" for g in dataset.groups} <= set(listed)
        assert {f"person:{p.id}" for p in dataset.people} <= set(listed)
        first_group = min(listed.index(f"group:{g.id}") for g in dataset.groups)
        assert all(listed.index(f"project:{p.id}") < first_group for p in dataset.projects)
        assert "Managed by the alliance" in rendered(pane.list)
        assert f"{len(dataset.projects)} projects" in title(pane)

        await move_to(pilot, pane.list, "project:tapestry")
        await pilot.press("enter")
        assert pane.record.id == "tapestry" and app.focused is pane.detail
        assert "project:tapestry" in rendered(pane.detail)  # the detail's heading line
        detail_refs = refs(pane.detail)
        assert any(r.startswith("member:") for r in detail_refs)  # leads and members are links
        # A lead link opens the member, whose detail links back to the project.
        lead = next(r for r in detail_refs if r.startswith("member:"))
        await move_to(pilot, pane.detail, lead)
        await pilot.press("enter")
        members = app.pane("members")
        assert app.current_pane is members and f"member:{members.record.id}" == lead
        assert "project:tapestry" in refs(members.detail)


async def test_a_member_lists_its_groups_and_a_chapter_opens_from_the_overview(make_app):
    app = make_app(open_ref="member:kbtg", preview=False)
    async with app.run_test(size=(110, 30)) as pilot:
        await ready(pilot)
        members = app.pane("members")
        assert members.record.id == "kbtg"
        assert "group:thailand-chapter" in refs(members.detail)

        await pilot.press("1")
        overview = app.pane("overview")
        await move_to(pilot, overview.list, "group:japan-chapter")
        await pilot.press("enter")
        pane = app.pane("projects")
        assert app.current_pane is pane and pane.record.id == "japan-chapter"
        assert "member:ibm" in refs(pane.detail)


async def test_open_a_person_and_back(make_app, dataset):
    person = next(p for p in dataset.people if p.member)
    app = make_app(open_ref=f"person:{person.id}", preview=False)
    async with app.run_test(size=(110, 30)) as pilot:
        await ready(pilot)
        pane = app.pane("projects")
        assert app.current_pane is pane and pane.record is not None and pane.record.id == person.id
        assert f"member:{person.member}" in refs(pane.detail)
        await pilot.press("escape", "escape")  # detail → list → Overview
        assert app.current_pane.id == "overview"


async def test_a_dataset_without_projects_groups_or_people(make_app, tmp_path):
    from tests.builders import MINIMAL_FILES, write

    for name, text in MINIMAL_FILES.items():
        write(tmp_path, name, text)
    assert load_dataset(tmp_path).counts()["projects"] == 0
    app = make_app(data_dir=tmp_path, preview=False)
    async with app.run_test(size=(110, 30)) as pilot:
        await ready(pilot)
        overview = app.pane("overview")
        assert not any(r.startswith("group:") for r in refs(overview.list))
        await pilot.press("6")
        pane = app.pane("projects")
        assert app.current_pane is pane and refs(pane.list) == []
        assert "0 projects" in title(pane)
        assert app.is_running
