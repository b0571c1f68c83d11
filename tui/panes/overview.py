"""Overview: mission, founders, charts, focus areas, figures, sections and open questions.

On wide screens it is a dashboard: the list keeps the prose and the links, and the detail,
while no record is open, shows the charts and figures (their bars are links too). Esc
from a record brings the dashboard back. On narrow screens everything is in the one list.
"""

from __future__ import annotations

from textual import events

from index.i18n import N_, _

from ..render import dashboard_entries, overview_entries
from ..widgets.line_list import Entry
from .base import ListDetailPane, empty_hint, narrow_at


class OverviewPane(ListDetailPane):
    WRAP_LIST = True
    HELP = N_(
        "The alliance at a glance. Links (founders, open questions, groups and chapters, sources) open with Enter. "
        "On wide screens the charts are beside the list (Tab moves there); Enter on a bar opens those members "
        "or that year of the timeline, and Esc from a record brings the charts back."
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.dashboard = False  # the charts are in the detail (wide), not in the list
        self._dashboard_width = 0  # the width the dashboard's bars were drawn for

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return self.focused(self.detail)  # the Overview's list is the top: no level above
        if action == "preview":
            return False  # the detail is the dashboard: it does not follow the cursor
        return super().check_action(action, parameters)

    def preview_current(self) -> None:
        """No preview here: it would hide the dashboard as soon as the cursor moved."""

    def _wide(self, width: int = 0) -> bool:
        return not narrow_at(self, width or self.size.width or self.app.size.width)

    def list_entries(self) -> list[Entry]:
        if not self.dataset:
            return []
        self.dashboard = self._wide()
        return overview_entries(self.dataset, charts=not self.dashboard)

    def detail_width(self) -> int:
        """The cells a dashboard row has: the detail's width less its padding, and the
        scrollbar's room (shown or not: a row must not wrap when it comes)."""
        width = self.detail.size.width
        if width <= 0:  # not laid out yet: the detail is half the pane
            pane = self.size.width or self.app.size.width
            width = pane - pane // 2 - 3
        return max(20, width - 1)

    def empty_detail(self) -> list[Entry]:
        if self.dataset is None:
            return empty_hint()
        self._dashboard_width = self.detail_width()
        return dashboard_entries(self.dataset, self._dashboard_width)

    def on_resize(self, event: events.Resize) -> None:
        if not self._populated:
            return
        if self._wide(event.size.width) != self.dashboard:
            self.refresh_list()  # the charts move between the list and the detail
        # The detail's new width is known after this layout pass.
        self.call_after_refresh(self._redraw_dashboard)

    def _redraw_dashboard(self) -> None:
        """The bars fitted to the detail's width again (after a resize)."""
        if self.record is None and self.dataset is not None and self.detail_width() != self._dashboard_width:
            current = self.detail.current
            self.detail.set_entries(self.empty_detail(), keep=current.ref if current else None)

    def close_detail(self) -> bool:
        """Esc in the detail: back to the list, and the dashboard in place of the record."""
        if not super().close_detail():
            return False
        if self.record is not None:
            self.show_detail(None)
        return True

    def title_text(self) -> str:
        if self.dataset is None:
            return _("Overview")
        return _("Overview · {name}").format(name=self.dataset.alliance.name)
