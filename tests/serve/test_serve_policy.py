"""What a client may ask of a served explorer (tui/serve/policy.py), without a network."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.serve import policy
from tui.serve.policy import Refused, clamp_size, exec_argv, session_env
from tui.serve.ssh import Limits


@pytest.mark.parametrize(
    ("command", "argv"),
    [
        ("search nasa --json", ["search", "nasa", "--json"]),
        ("show member:nasa", ["show", "member:nasa"]),
        ("alliance show member:nasa", ["show", "member:nasa"]),
        ("list members --format csv", ["list", "members", "--format", "csv"]),
        ("validate", ["validate"]),
        ("search 'open source' --limit 3", ["search", "open source", "--limit", "3"]),
        ("search -- --data", ["search", "--", "--data"]),  # a query, after the end of options
    ],
)
def test_read_only_commands_run(command, argv):
    assert exec_argv(command) == argv


@pytest.mark.parametrize(
    ("command", "says"),
    [
        ("sh", "'sh' is not served"),
        ("bash -c id", "'bash' is not served"),
        ("index clear", "'index' is not served"),
        ("serve ssh --open-access", "'serve' is not served"),
        ("scp -f /etc/passwd", "'scp' is not served"),
        ("alliance --data /etc", "--data is fixed by the server"),
        ("--data=/etc show member:nasa", "--data is fixed by the server"),
        ("show member:nasa --data /etc", "--data is fixed by the server"),
        ("show member:nasa --data=/etc", "--data is fixed by the server"),
        ("list members --dat /etc", "--data is fixed by the server"),  # argparse would take the prefix
        ("list members --d /etc", "--data is fixed by the server"),
        ("--debug show member:nasa", "options go after the command"),
        ("", "no command"),
        ("alliance", "no command"),
        ("search 'unclosed", "cannot read the command"),
        ("search nasa\0", "NUL"),
        ("search " + "a" * 5000, "too long"),
    ],
)
def test_everything_else_is_refused(command, says):
    with pytest.raises(Refused, match=says.replace("(", r"\(").replace(")", r"\)")):
        exec_argv(command)


def test_words_are_never_a_shell_command():
    """`;`, `$( )` and pipes are query words, not shell syntax: nothing runs a shell."""
    assert exec_argv("search nasa; rm -rf ~") == ["search", "nasa;", "rm", "-rf", "~"]
    assert exec_argv("search $(id) | cat") == ["search", "$(id)", "|", "cat"]


@given(st.text(max_size=300))
def test_any_command_is_run_or_refused_cleanly(command):
    try:
        argv = exec_argv(command)
    except Refused as exc:
        assert "\n" not in str(exc)
        return
    assert argv[0] in policy.EXEC_COMMANDS
    options = argv[1 : argv.index("--")] if "--" in argv else argv[1:]
    assert not any(len(w.split("=")[0]) >= 3 and "--data".startswith(w.split("=")[0]) for w in options)


def test_session_env_takes_four_checked_variables():
    client = {
        "TERM": "screen-256color",
        "COLORTERM": "truecolor",
        "NO_COLOR": "yes",
        "LANG": "fr_FR.UTF-8",
        "ALLIANCE_DATA": "/etc",
        "PYTHONPATH": "/tmp/evil",
        "LD_PRELOAD": "/tmp/evil.so",
        "ALLIANCE_SERVED": "0",
    }
    assert session_env(client, "xterm-kitty") == {
        "TERM": "xterm-kitty",  # the pty request's terminal type wins
        "COLORTERM": "truecolor",
        "NO_COLOR": "1",
        "LANG": "fr_FR.UTF-8",
    }
    assert session_env(client, None)["TERM"] == "screen-256color"


@pytest.mark.parametrize("term", ["x" * 5000, "", "xterm\x1b]0;owned\x07", "../../etc/terminfo", "xterm 256", "-xterm"])
def test_a_strange_term_becomes_the_default(term):
    assert session_env({}, term)["TERM"] == policy.DEFAULT_TERM


def test_strange_values_are_dropped():
    env = session_env({"LANG": "fr_FR.UTF-8; rm -rf /", "COLORTERM": "x" * 100, "NO_COLOR": ""}, "xterm")
    assert env == {"TERM": "xterm"}


@pytest.mark.parametrize(
    ("size", "clamped"),
    [((0, 0), (80, 24)), ((10000, 10000), (500, 200)), ((120, 40), (120, 40)), ((0, 50), (80, 50)), ((1, 1), (1, 1))],
)
def test_terminal_sizes(size, clamped):
    assert clamp_size(*size) == clamped


def test_limits_count_sessions_in_all_and_per_address():
    limits = Limits(max_sessions=3, per_ip=2)
    assert limits.admit("10.0.0.1") is None
    assert limits.admit("10.0.0.1") is None
    assert "too many sessions from 10.0.0.1" in (limits.admit("10.0.0.1") or "")
    assert limits.admit("10.0.0.2") is None
    assert "the server is full (3 sessions)" in (limits.admit("10.0.0.3") or "")
    limits.release("10.0.0.1")
    assert limits.admit("10.0.0.3") is None
    for ip in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        limits.release(ip)
    assert limits.total == 0 and not limits.by_ip


def test_log_text_is_one_printable_line():
    assert policy.shown("sh -c 'echo\n\x1b[31mred'") == "sh -c 'echo??[31mred'"
    assert len(policy.shown("x" * 500)) == 60
