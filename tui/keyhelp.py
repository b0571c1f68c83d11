"""The keys that act where the focus is, as Textual resolves them: what the help lists.

Built from `Screen.active_bindings` (the focused widget, its ancestors, the screen and
the app, innermost first, a key bound twice going to the innermost binding), so the help
can neither list a key that does nothing here nor miss one that does. In a text box a
character key types itself: the bindings of its ancestors on such keys are left out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.keys import key_to_character
from textual.widgets import Input

from index.frozen import frozen
from index.i18n import _

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.screen import Screen


@frozen
class KeyHelp:
    """One action's keys, as the footer writes them, and what it does."""

    keys: tuple[str, ...]  # Textual key names, in the order they are bound
    shown: str  # "[ / ⌫"
    description: str
    ref: str  # "key:<binding id or action>"


def _types_text(key: str) -> bool:
    character = key_to_character(key)
    return character is not None and character.isprintable()


def active_keys(screen: Screen) -> list[tuple[DOMNode, list[KeyHelp]]]:
    """Every described binding that acts where the focus is, grouped by the node that owns it."""
    focused = screen.focused
    typing = isinstance(focused, Input)
    grouped: dict[int, tuple[DOMNode, dict[tuple[str, str], list[tuple[str, Binding]]]]] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description:
            continue
        if typing and active.node is not focused and _types_text(key):
            continue  # typed into the box, never reaching this binding
        node_id = id(active.node)
        if node_id not in grouped:
            grouped[node_id] = (active.node, {})
        # Descriptions are marked N_ where bound: shown in the language of the moment.
        description = _(binding.description)
        grouped[node_id][1].setdefault((binding.action, description), []).append((key, binding))
    app = screen.app
    sections = []
    for node, actions in grouped.values():
        helps = []
        for (action, description), bound in actions.items():
            shown = " / ".join(app.get_key_display(Binding(key, description)) for key, _binding in bound)
            ident = bound[0][1].id or action
            helps.append(KeyHelp(tuple(key for key, _binding in bound), shown, description, f"key:{ident}"))
        sections.append((node, helps))
    return sections
