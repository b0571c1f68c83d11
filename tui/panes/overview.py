"""Overview: mission, founders, charts, focus areas, figures, sections and open questions."""

from __future__ import annotations

from ..render import overview_entries
from ..widgets.line_list import Entry
from .base import ListDetailPane


class OverviewPane(ListDetailPane):
    WRAP_LIST = True
    HELP = "The alliance at a glance. Links (founders, open questions, groups and chapters, sources) open with Enter."

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return self.focused(self.detail)  # the Overview's list is the top: no level above
        return super().check_action(action, parameters)

    def list_entries(self) -> list[Entry]:
        return overview_entries(self.dataset) if self.dataset else []

    def title_text(self) -> str:
        return "Overview" if self.dataset is None else f"Overview · {self.dataset.alliance.name}"
