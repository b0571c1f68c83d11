"""Widgets that know no records: LineList, the virtualised list every pane draws with."""


def N_(message: str) -> str:
    """Mark a constant for the translation catalog, untranslated (index.i18n.N_: widgets import
    no index). The footer and the help translate key descriptions; a widget's owner translates
    the other texts it passes in (NarrowInput's placeholder)."""
    return message
