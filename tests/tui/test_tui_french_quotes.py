"""Quotes in French (issue 16): a quote with a French rendering opens in it, saying which part
of the original it renders; t shows the original and back; t neither acts nor shows for a
quote without one. In English, t still switches to the French rendering and back."""

from __future__ import annotations

from typing import Any

from tui_helpers import plain, ready, screen_text

from tui.panes.quotes import QuotesPane

HOWARD = "quote:launch-fast-ai-howard"
HEADING = "Traduction française (partie de la phrase 1) — t : citation originale"
ORIGINAL = "Citation originale (anglais) — t : traduction française"


def spaced(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def footer_text(app: Any) -> str:
    return spaced(screen_text(app).splitlines()[-1])


async def test_a_quote_opens_in_french_and_t_shows_the_original(make_app, dataset, french):
    quote = next(q for q in dataset.quotes if q.id == "launch-fast-ai-howard")
    rendering = dict(quote.translations)["fr"]
    app = make_app(open_ref=HOWARD)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        pane: QuotesPane = app.pane("quotes")
        detail = pane.detail
        text = spaced(plain(detail))
        assert text.startswith(
            "Citation de Jeremy Howard\nquote:launch-fast-ai-howard\n\n" + HEADING + "\n" + rendering
        )
        assert quote.text not in text  # the original is one key away
        assert "Original/traduction" in footer_text(app)

        await pilot.press("t")
        text = spaced(plain(detail))
        assert ORIGINAL in text and quote.text in text
        assert f"\n{rendering}\n" not in text and HEADING not in text  # (the note quotes it)
        assert app.focused is detail  # the detail keeps the focus

        await pilot.press("t")
        text = spaced(plain(detail))
        assert HEADING in text and rendering in text and quote.text not in text


async def test_every_part_rendered_is_said(make_app, dataset, french):
    app = make_app(open_ref="quote:launch-simons-foundation-spergel")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert "Traduction française (phrase 3) — t : citation originale" in spaced(plain(app.pane("quotes").detail))


async def test_t_does_nothing_on_a_quote_without_a_french_rendering(make_app, dataset, french):
    quote = next(q for q in dataset.quotes if not q.translations)
    app = make_app(open_ref=f"quote:{quote.id}")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await ready(pilot)
        pane: QuotesPane = app.pane("quotes")
        before = plain(pane.detail)
        assert quote.text in before
        assert "Traduction" not in before
        assert "Original/traduction" not in footer_text(app)
        assert "Français" not in footer_text(app)  # nor the English key
        await pilot.press("t")
        await pilot.pause()
        assert plain(pane.detail) == before
        assert not pane.original
        assert not app._notifications  # nothing said either


async def test_the_footer_offers_t_only_where_it_acts(make_app, dataset, french):
    plain_quote = next(q for q in dataset.quotes if not q.translations)
    app = make_app(open_ref=HOWARD)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert "Original/traduction" in footer_text(app)
        app.follow(f"quote:{plain_quote.id}")
        await pilot.pause()
        assert "Original/traduction" not in footer_text(app)
        app.follow(HOWARD)
        await pilot.pause()
        assert "Original/traduction" in footer_text(app)


async def test_english_is_unchanged_t_shows_the_french_rendering(make_app, dataset):
    quote = next(q for q in dataset.quotes if q.id == "launch-fast-ai-howard")
    rendering = dict(quote.translations)["fr"]
    app = make_app(open_ref=HOWARD)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        detail = app.pane("quotes").detail
        text = plain(detail)
        assert text.startswith(f"Quote by Jeremy Howard\nquote:launch-fast-ai-howard\n\ntext\n{quote.text}")
        assert "press t to read the French rendering" in text
        assert "Traduction" not in text and "part of sentence" not in text
        assert "French" in footer_text(app)
        await pilot.press("t")
        text = plain(detail)
        assert f"text (fr)\n{rendering}" in text and f"original (en)\n{quote.text}" in text
        await pilot.press("t")
        assert plain(detail).startswith(f"Quote by Jeremy Howard\nquote:launch-fast-ai-howard\n\ntext\n{quote.text}")
