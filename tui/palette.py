"""The command palette: "go to" any record of any kind (fuzzy), and the
palette screen itself, which closes once and fits any terminal size."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual.command import CommandInput, CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.message import Message
from textual.widgets import LoadingIndicator

from index.i18n import N_, _
from index.kinds import kinds

from .explorer import OpenRef, explorer_of
from .modal import ClosesOnce

if TYPE_CHECKING:
    from textual.widgets import Button, Input, OptionList  # not loaded before the palette opens


def highlight(matcher: Matcher, label: str) -> Content:
    """Like Matcher.highlight, which parses its candidate as markup: here data stays inert."""
    content = Content(label)
    _score, offsets = matcher.fuzzy_search.match(matcher.query, label)
    for offset in offsets:
        if not label[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


# One whole sentence per kind, for the translators; a kind added later gets the general one.
GO_TO: dict[str, str] = {
    "member": N_("Go to member: {name}"),
    "quote": N_("Go to quote: {name}"),
    "event": N_("Go to event: {name}"),
    "topic": N_("Go to open question: {name}"),
    "project": N_("Go to project: {name}"),
    "group": N_("Go to group: {name}"),
    "person": N_("Go to person: {name}"),
}
GO_TO_ANY = N_("Go to {kind}: {name}")


class GoToProvider(Provider):
    """One entry per record; the palette's matcher ranks them as people type."""

    MAX_HITS = 100  # the palette shows a screenful; ranking 100,000 Hit objects would lag
    _labels: list[tuple[str, str, str]] | None = None  # (label, casefolded label, ref)

    async def startup(self) -> None:
        self._labels = None

    def _targets(self) -> list[tuple[str, str, str]]:
        if self._labels is not None:
            return self._labels
        dataset = explorer_of(self.app).dataset
        targets: list[tuple[str, str]] = []
        if dataset is not None:
            for kind in kinds():
                sentence = _(GO_TO[kind.name]) if kind.name in GO_TO else _(GO_TO_ANY).replace("{kind}", kind.name)
                # Placeholders filled by replace: a name may hold braces.
                for record in dataset.of(kind.name):
                    short = getattr(record, "short_name", "")
                    label = f"{kind.link_text(record)}{f' ({short})' if short else ''}"
                    targets.append((sentence.replace("{name}", label), f"{kind.name}:{record.id}"))
        self._labels = [(label, label.casefold(), ref) for label, ref in targets]
        return self._labels

    def _open(self, ref: str) -> None:
        self.app.post_message(OpenRef(ref))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        letters = [c for c in query.casefold() if not c.isspace()]
        scored: list[tuple[float, str, str]] = []
        for label, folded, ref in self._targets():
            # Cheap in-order letter test first: the fuzzy matcher is far slower.
            position = 0
            for char in letters:
                position = folded.find(char, position) + 1
                if not position:
                    break
            else:
                score = matcher.match(label)
                if score > 0:
                    scored.append((score, label, ref))
        scored.sort(key=lambda item: -item[0])
        for score, label, ref in scored[: self.MAX_HITS]:
            yield Hit(score, highlight(matcher, label), partial(self._open, ref), text=label)

    async def discover(self) -> Hits:
        for label, _folded, ref in self._targets()[:20]:
            yield DiscoveryHit(Content(label), partial(self._open, ref), text=label)


class Palette(ClosesOnce, CommandPalette):
    """Textual's command palette, made safe for key bursts and tiny terminals.

    - It closes once (ClosesOnce), and a second Enter queued before it closed neither runs
      the chosen command again nor dismisses the screen below.
    - Its options keep room for text: an option is padded by 2 cells each side, so a list
      4 cells wide (a terminal of 3 or 4 columns) left text 0 cells, and Rich's wrapping
      fails on width 0 (ValueError).
    """

    # Below 12 rows the palette drops its top margin and borders, so that the list keeps rows.
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-short"), (12, "-tall")]
    DEFAULT_CSS = """
    Palette CommandList {
        min-width: 8;
    }
    Palette.-short {
        & > Vertical {
            margin-top: 0;
        }
        #--input {
            border: none;
        }
        SearchIcon {
            margin: 0 0 0 1;
        }
        CommandInput, CommandInput:focus {
            border: none;
            height: 1;
            padding-left: 1;
        }
        CommandList {
            border: none;
            max-height: 100vh;
        }
    }
    """

    def on_mount(self) -> None:
        # Idle means idle (issue 17): a blinking cursor repaints twice a second, over SSH too,
        # and the busy indicator, hidden but there, refreshed itself 16 times a second.
        self.query_one(CommandInput).cursor_blink = False
        self.query_one(LoadingIndicator).auto_refresh = None

    async def _watch__show_busy(self) -> None:
        await super()._watch__show_busy()
        # The busy indicator animates only while it shows (a search that takes time).
        self.query_one(LoadingIndicator).auto_refresh = 1 / 16 if self._show_busy else None

    def _action_command_list(self, action: str) -> None:
        # A list given no rows (a terminal of a few rows) has no line map, and paging it
        # raised KeyError; moving the highlight and selecting need no rows.
        if action.startswith("page_") and not self.query_one(CommandList).scrollable_content_region:
            return
        super()._action_command_list(action)

    def _ignore_when_closing(self, message: Message) -> None:
        if self.closing:
            message.prevent_default()  # no base-class handler: the command ran already
            message.stop()

    def on_input_submitted(self, message: Input.Submitted) -> None:
        self._ignore_when_closing(message)

    def on_button_pressed(self, message: Button.Pressed) -> None:
        self._ignore_when_closing(message)

    def on_option_list_option_selected(self, message: OptionList.OptionSelected) -> None:
        self._ignore_when_closing(message)
