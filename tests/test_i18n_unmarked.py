"""Every string of the explorer and the command line that people read goes through the
translation layer (issue 16).

Babel extracts what is marked (`_`, `N_`, `ngettext`, `pgettext`), and
tests/test_i18n_catalog.py holds the catalog to it; this test finds what is not marked. It
reads every string literal in tui/ (the SSH and web servers included) and reports those
that read as words for people: two words or more, or one capitalised word. Strings that are
not for people (CSS, ids, actions, styles, key names, file formats) are told apart by where
they stand (the call or keyword that takes them), and the rest by the short list below,
each with the reason it stays as it is.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TUI = REPO / "tui"

MARKERS = {"_", "N_", "ngettext", "pgettext"}
# Calls whose string arguments are never shown: names of things, not words for people.
NOT_SHOWN_CALLS = {
    "query",
    "query_one",
    "query_children",
    "add_class",
    "remove_class",
    "set_class",
    "has_class",
    "toggle_class",
    "getattr",
    "setattr",
    "hasattr",
    "get",
    "setdefault",
    "environ",
    "getenv",
    "compile",
    "fullmatch",
    "match",
    "search",
    "sub",
    "split",
    "startswith",
    "endswith",
    "replace",
    "join",
    "strip",
    "rstrip",
    "lstrip",
    "encode",
    "decode",
    "Style",
    "parse",
    "Color",
    "stylize",
    "highlight_regex",
    "on",
    "work",
    "run_worker",
    "set_interval",
    "set_timer",
    "post_message",
    "action",
    "run_action",
    "simulate_key",
    "press",
    "Path",
    "open",
    "import_module",
    "getLogger",
    "debug",
    "log",
    "write",  # to a terminal: escape sequences
    "register",
    "data_bind",
    "isinstance",
    "TypeVar",
    "cast",
    "Binding",  # its description is checked apart (a keyword or the third argument)
}
NOT_SHOWN_KEYWORDS = {
    "id",
    "classes",
    "style",
    "name",
    "group",
    "action",
    "key",
    "key_display",
    "variant",
    "severity",
    "format",
    "metavar",
    "dest",
    "choices",
    "encoding",
    "errors",
    "end",
    "sep",
    "mode",
    "justify",
    "overflow",
    "theme",
    "initial",
}
# Names given CSS, other names, or code (the Python source a child process runs).
NOT_SHOWN_ATTRIBUTES = {
    "DEFAULT_CSS",
    "CSS",
    "CSS_PATH",
    "COMPONENT_CLASSES",
    "BINDING_GROUP_TITLE",
    "_CHILD_CODE",
    "_BOOT",  # tui/serve/pty.py: the Python source a session's process runs
}

HUMAN = re.compile(r"[A-Za-z][a-z’']+[ \n][A-Za-z]{2,}|^[A-Z][a-z]{2,}[.…!?:]?$")

# (file, string) that read as words yet are not for translating, and why.
KNOWN: dict[tuple[str, str], str] = {
    ("tui/app.py", "alliance explorer"): "the program's name",
    ("tui/config.py", ": not a regular file"): "why settings are ignored: caught, never shown",
    ("tui/config.py", ": not your own private file"): "why settings are ignored: caught, never shown",
    ("tui/export_screen.py", "Markdown"): "the name of a file format",
    ("tui/render.py", "bold underline"): "a Rich style",
    ("tui/widgets/line_list.py", "one ref per item"): "a programming error (ValueError), never shown",
    # tui/serve: the banner, errors and refusals to clients are translated (in the server's
    # language); the log lines stay English for log readers and scripts: written by `log`
    # calls (skipped above), with these pieces in them.
    ("tui/serve/ssh.py", "refused (too many connections)"): "the connection log's exit field",
    ("tui/serve/ssh.py", "refused (no terminal)"): "the connection log's exit field",
    ("tui/serve/ssh.py", "too many connections"): "an SSH disconnect reason: protocol text (tagged en-US)",
    ("tui/serve/web.py", "websocket from another site"): "an HTTP 403 body to the page's script, never shown",
    ("tui/serve/web.py", "AI Alliance explorer"): "the program's name (the web page's title)",
    (
        "tui/serve/hostkey.py",
        "alliance-explorer host key",
    ): "the comment stored in the key file (data, as ssh-keygen's)",
}


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _inside(node: ast.AST) -> set[int]:
    return {id(sub) for sub in ast.walk(node)}


def unmarked(path: Path) -> list[tuple[int, str]]:
    """Strings of `path` that read as words for people and are not marked for translation."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _name(node.func)
            if name in MARKERS:
                skip |= _inside(node)
            elif name in NOT_SHOWN_CALLS:
                if name == "Binding":
                    # key and action (and a description marked N_, caught above)
                    for arg in node.args[:2]:
                        skip |= _inside(arg)
                else:
                    for arg in node.args:
                        skip |= _inside(arg)
            for keyword in node.keywords:
                if keyword.arg in NOT_SHOWN_KEYWORDS:
                    skip |= _inside(keyword.value)
        elif isinstance(node, ast.Assign):
            targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
            if set(targets) & NOT_SHOWN_ATTRIBUTES:
                skip |= _inside(node.value)
        elif isinstance(node, ast.Subscript):
            skip |= _inside(node.slice)  # mapping["key"]
        elif isinstance(node, ast.Compare):
            skip |= _inside(node)  # `x == "value"`: data or names compared, not shown
        elif isinstance(node, ast.Dict):
            for key in node.keys:
                if key is not None:
                    skip |= _inside(key)
    found = []
    relative = path.relative_to(REPO).as_posix() if path.is_relative_to(REPO) else path.name
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            text = node.value
            if HUMAN.search(text) and (relative, text) not in KNOWN:
                found.append((node.lineno, text))
    return sorted(found)


def test_every_string_people_read_is_marked_for_translation() -> None:
    report = []
    for path in sorted(TUI.rglob("*.py")):
        for line, text in unmarked(path):
            report.append(f"{path.relative_to(REPO)}:{line}: {text[:90]!r}")
    assert not report, "strings for people not marked with _(), N_(), ngettext() or pgettext():\n" + "\n".join(report)


def test_the_check_finds_an_unmarked_string(tmp_path: Path) -> None:
    """The test above can fail: a label, a notice, a title written without _ are found."""
    module = tmp_path / "sample.py"
    module.write_text(
        "from index.i18n import _\n"
        "def show(app):\n"
        "    app.notify('Nothing selected to copy')\n"
        "    app.notify(_('Copied citation'))\n"
        "    app.query_one('#list').add_class('dim overflow')\n"
        "    title = 'Members'\n"
        "    return f'{title} of the alliance'\n",
        encoding="utf-8",
    )
    assert [text for _line, text in unmarked(module)] == ["Nothing selected to copy", "Members", " of the alliance"]


def test_known_strings_are_still_there() -> None:
    """An entry of KNOWN whose string is gone from its file is stale: remove it."""
    for (file, text), _why in KNOWN.items():
        assert text in (REPO / file).read_text(encoding="utf-8"), (file, text)


def _binds_underscore(function: ast.AST) -> list[int]:
    """Lines where `function` itself (not a nested function or comprehension) assigns `_`."""
    lines, todo = [], list(ast.iter_child_nodes(function))
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue  # a scope of its own, checked apart
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            continue  # comprehension variables stay in the comprehension
        if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store):
            lines.append(node.lineno)
        todo.extend(ast.iter_child_nodes(node))
    return lines


def test_no_function_hides_the_translation_function() -> None:
    """`dataset, _ = load(...)` in a function makes `_` local to all of it: its `_("…")`
    then calls what was unpacked ('bool' object is not callable, a crash only the path that
    shows the message finds)."""
    found = []
    for package in (TUI, REPO / "index"):
        for path in sorted(package.rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    found += [f"{path.relative_to(REPO)}:{line}" for line in _binds_underscore(node)]
    assert not found, "a function assigns `_`: name it `_unused` or after what it holds\n" + "\n".join(found)
