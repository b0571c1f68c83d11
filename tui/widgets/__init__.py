"""Widgets that know no records: LineList, the virtualised list every pane draws with."""
