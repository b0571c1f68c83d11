"""`alliance serve ssh` and `alliance serve web`: the explorer for people who install nothing.

- `policy.py`: what a client may ask for (pure functions: exec commands, environment, sizes).
- `hostkey.py`: the SSH host key, made on first start, kept private.
- `pty.py`: one session's explorer in its own process on its own pseudo-terminal.
- `ssh.py`: the SSH server (asyncssh): authentication, limits, sessions, logging.
- `web.py`: the browser version (textual-serve).

None of it is imported unless `alliance serve` runs; asyncssh and textual-serve come with the
`serve` extra (`pip install 'alliance-explorer[serve]'`).
"""
