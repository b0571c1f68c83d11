"""The panes: one module per pane, each a ListDetailPane over the dataset (base.py)."""
