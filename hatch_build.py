"""Build hook: compile the message catalogs (index/locales/*/LC_MESSAGES/*.po) to .mo files,
and write each language's CLDR table (index/locales/<lang>/cldr.json, see index/cldr.py).

The .po files are the sources, kept in git; the .mo files and tables are built, never
committed. A wheel gets them next to their sources; an editable install (`pip install -e .`)
writes them into the checkout, where index/i18n.py and index/forms.py find them (without
them, a .po is compiled in memory and the table asked of Babel, at a cost in start-up time).
"""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CatalogBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        root = Path(self.root)
        for source in sorted((root / "index" / "locales").glob("*/LC_MESSAGES/*.po")):
            with source.open("rb") as file:
                catalog = read_po(file)
            out = io.BytesIO()
            write_mo(out, catalog, use_fuzzy=False)
            compiled = source.with_suffix(".mo")
            if not compiled.is_file() or compiled.read_bytes() != out.getvalue():
                compiled.write_bytes(out.getvalue())
            if self.target_name == "wheel" and version != "editable":
                # Ignored by git (.gitignore), so listed here to be packed.
                build_data["force_include"][str(compiled)] = str(compiled.relative_to(root))
        # index/cldr.py by path: importing the package would need its dependencies.
        spec = importlib.util.spec_from_file_location("alliance_cldr", root / "index" / "cldr.py")
        assert spec is not None and spec.loader is not None
        cldr = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(cldr)
        for folder in sorted((root / "index" / "locales").iterdir()):
            if folder.is_dir() and folder.name != "en":
                table = cldr.write_table(folder.name, folder / "cldr.json")
                if self.target_name == "wheel" and version != "editable":
                    build_data["force_include"][str(table)] = str(table.relative_to(root))
