"""What asks for a pane before on_ready has mounted the later ones waits for them.

Keys wait for on_ready in the app's queue, but a key read before Textual's Ready, or a
palette command picked by then, reached a pane that was not there yet: NoMatches on
'#members' in tests/security/test_modal_bursts.py on a loaded CI machine.
"""

from __future__ import annotations

from tui_helpers import ready

import tui.app as app_module
from tui.explorer import OpenRef


async def test_an_open_and_a_pane_key_before_the_panes_act_once_they_are_up(make_app, monkeypatch):
    app = make_app()
    later = app_module.later_panes

    def asked_meanwhile():  # called by on_ready just before it mounts the later panes
        app._open_ref(OpenRef("member:nasa"))
        app.action_pane("timeline")
        app.action_pane("members")
        return later()

    monkeypatch.setattr(app_module, "later_panes", asked_meanwhile)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert app.current_pane.id == "members"
        assert app.focused is app.pane("members").detail  # NASA's, opened once the panes were up
        assert app.pane("members").list.current.ref == "member:nasa"
