"""`alliance serve ssh|web`: checks, the shared caches built once, the banner, then the server."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path


class ServeError(Exception):
    """The server cannot start: one line for the user (exit 2)."""


def _need(module: str) -> None:
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise ServeError(f"`alliance serve` needs {module}: pip install 'alliance-explorer[serve]'")


def prepare(data_dir: str | None) -> tuple[Path, str]:
    """Parse and check the data, write its snapshot and build (or reuse) its index, once, in
    the cache every session then reads: (the cache root, a line on what is served)."""
    from index.snapshot import load_cached
    from index.store import cache_root, open_index

    dataset, _snapshot = load_cached(data_dir)
    opened = open_index(data_dir, dataset=dataset)
    if opened.notice:
        raise ServeError(f"the search index cannot be kept: {opened.notice}")
    records = sum(dataset.counts().values())
    where = data_dir or "the bundled data"
    verb = "built" if opened.built else "reused"
    return cache_root(), f"{where}: {records:,} records, index {verb} ({opened.info.documents:,} documents)"


def run_ssh(args: argparse.Namespace) -> int:
    _need("asyncssh")
    from ..config import config_dir
    from . import hostkey
    from .ssh import ServeOptions, serve

    if not args.open_access and args.authorized_keys is None:
        raise ServeError("say who may connect: --authorized-keys FILE (their public keys) or --open-access (anyone)")
    for name in ("max_sessions", "per_ip", "session_memory"):
        if getattr(args, name) < 1:
            raise ServeError(f"--{name.replace('_', '-')} must be at least 1")
    keys = 0
    if args.authorized_keys is not None:
        import asyncssh

        try:
            text = Path(args.authorized_keys).read_text(encoding="utf-8")
            asyncssh.import_authorized_keys(text)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise ServeError(f"--authorized-keys {args.authorized_keys}: {exc}") from None
        keys = sum(1 for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#"))
        if not keys:
            raise ServeError(f"--authorized-keys {args.authorized_keys}: no key in it")
    data_dir = getattr(args, "data", None)
    if data_dir is not None:
        data_dir = str(Path(data_dir).expanduser().absolute())
    cache, served = prepare(data_dir)
    folder = config_dir()
    try:
        key, made = hostkey.load_or_create(folder)
    except hostkey.HostKeyError as exc:
        raise ServeError(f"host key: {exc}") from None
    options = ServeOptions(
        host=args.host,
        port=args.port,
        data_dir=Path(data_dir) if data_dir else None,
        authorized_keys=Path(args.authorized_keys) if args.authorized_keys else None,
        open_access=args.open_access,
        max_sessions=args.max_sessions,
        per_ip=args.per_ip,
        idle_timeout=args.idle_timeout,
        login_timeout=args.login_timeout,
        session_memory_mb=args.session_memory,
        log=Path(args.log) if args.log else None,
    )

    def ready(port: int) -> None:
        access = (
            "OPEN ACCESS: anyone who reaches this port may connect, with any key or none (read-only explorer)"
            if args.open_access
            else f"public keys in {args.authorized_keys} ({keys} key{'s' if keys != 1 else ''}); no passwords"
        )
        idle = f"{args.idle_timeout / 60:g} min" if args.idle_timeout > 0 else "never"
        lines = [
            f"alliance serve ssh: listening on {args.host}:{port}",
            f"  host key: {hostkey.fingerprint(key)} ({folder / hostkey.KEY_NAME}{', made now' if made else ''})",
            f"  data: {served}",
            f"  access: {access}",
            f"  limits: {args.max_sessions} sessions, {args.per_ip} per address, idle {idle}, "
            f"{args.session_memory} MB of memory each",
            f"  connect: ssh -p {port} {args.host}  (or: ssh -p {port} {args.host} search QUERY)",
        ]
        print("\n".join(lines), flush=True)

    try:
        return asyncio.run(serve(options, cache, key, ready=ready))
    except OSError as exc:  # the port taken, the address not ours
        raise ServeError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from None


def run_web(args: argparse.Namespace) -> int:
    _need("textual_serve")
    from .web import serve_web

    if args.max_sessions < 1:
        raise ServeError("--max-sessions must be at least 1")
    if args.public_url is not None and not args.public_url.startswith(("http://", "https://")):
        raise ServeError(f"--public-url {args.public_url}: an http:// or https:// URL")
    data_dir = getattr(args, "data", None)
    if data_dir is not None:
        data_dir = str(Path(data_dir).expanduser().absolute())
    cache, served = prepare(data_dir)
    try:
        return serve_web(args.host, args.port, data_dir, cache, served, args.public_url, args.max_sessions)
    except OSError as exc:  # the port taken, the address not ours
        raise ServeError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from None


def run(args: argparse.Namespace) -> int:
    """Entry point of `alliance serve`, from tui/cli.py."""
    try:
        return run_ssh(args) if args.serve_command == "ssh" else run_web(args)
    except ServeError as exc:
        print(f"alliance: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
