"""`alliance serve ssh|web`: checks, the shared caches built once, the banner, then the server."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from ..messages import _, decimal, ngettext, pgettext


class ServeError(Exception):
    """The server cannot start: one line for the user (exit 2)."""


def _need(module: str) -> None:
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise ServeError(
            _("`alliance serve` needs {module}: pip install 'alliance-explorer[serve]'").format(module=module)
        )


def prepare(data_dir: str | None) -> tuple[Path, str]:
    """Parse and check the data, write its snapshot and build (or reuse) its index, once, in
    the cache every session then reads: (the cache root, a line on what is served)."""
    from index.forms import number
    from index.snapshot import load_cached
    from index.store import cache_root, open_index

    dataset, _snapshot = load_cached(data_dir)
    opened = open_index(data_dir, dataset=dataset)
    if opened.notice:
        raise ServeError(_("the search index cannot be kept: {notice}").format(notice=opened.notice))
    records = sum(dataset.counts().values())
    where = data_dir or _("the bundled data")
    if opened.built:
        line = _("{where}: {records} records, index built ({documents} documents)")
    else:
        line = _("{where}: {records} records, index reused ({documents} documents)")
    return cache_root(), line.format(where=where, records=number(records), documents=number(opened.info.documents))


def run_ssh(args: argparse.Namespace) -> int:
    _need("asyncssh")
    from ..config import config_dir
    from . import hostkey
    from .ssh import ServeOptions, serve

    if not args.open_access and args.authorized_keys is None:
        raise ServeError(_("say who may connect: --authorized-keys FILE (their public keys) or --open-access (anyone)"))
    for name in ("max_sessions", "per_ip", "session_memory"):
        if getattr(args, name) < 1:
            raise ServeError(_("{option} must be at least 1").format(option="--" + name.replace("_", "-")))
    keys = 0
    if args.authorized_keys is not None:
        import asyncssh

        try:
            text = Path(args.authorized_keys).read_text(encoding="utf-8")
            asyncssh.import_authorized_keys(text)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise ServeError(
                _("--authorized-keys {path}: {error}").format(path=args.authorized_keys, error=exc)
            ) from None
        keys = sum(1 for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#"))
        if not keys:
            raise ServeError(_("--authorized-keys {path}: no key in it").format(path=args.authorized_keys))
    data_dir = getattr(args, "data", None)
    if data_dir is not None:
        data_dir = str(Path(data_dir).expanduser().absolute())
    cache, served = prepare(data_dir)
    folder = config_dir()
    try:
        key, made = hostkey.load_or_create(folder)
    except hostkey.HostKeyError as exc:
        raise ServeError(_("host key: {error}").format(error=exc)) from None
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
        if args.open_access:
            access = _(
                "OPEN ACCESS: anyone who reaches this port may connect, with any key or none (read-only explorer)"
            )
        else:
            access = ngettext(
                "public keys in {path} ({n} key); no passwords", "public keys in {path} ({n} keys); no passwords", keys
            ).format(path=args.authorized_keys, n=keys)
        idle = (
            _("{minutes} min").format(minutes=decimal(args.idle_timeout / 60))
            if args.idle_timeout > 0
            else pgettext("idle timeout", "never")
        )
        key_file = folder / hostkey.KEY_NAME
        host_key = (
            _("  host key: {fingerprint} ({path}, made now)") if made else _("  host key: {fingerprint} ({path})")
        )
        lines = [
            _("alliance serve ssh: listening on {address}").format(address=f"{args.host}:{port}"),
            host_key.format(fingerprint=hostkey.fingerprint(key), path=key_file),
            _("  data: {served}").format(served=served),
            _("  access: {access}").format(access=access),
            _("  limits: {sessions} sessions, {per_ip} per address, idle {idle}, {memory} MB of memory each").format(
                sessions=args.max_sessions, per_ip=args.per_ip, idle=idle, memory=args.session_memory
            ),
            _("  connect: ssh -p {port} {host}  (or: ssh -p {port} {host} search QUERY)").format(
                port=port, host=args.host
            ),
        ]
        print("\n".join(lines), flush=True)

    try:
        return asyncio.run(serve(options, cache, key, ready=ready))
    except OSError as exc:  # the port taken, the address not ours
        raise ServeError(_cannot_listen(args, exc)) from None


def _cannot_listen(args: argparse.Namespace, exc: OSError) -> str:
    return _("cannot listen on {address}: {reason}").format(
        address=f"{args.host}:{args.port}", reason=exc.strerror or exc
    )


def run_web(args: argparse.Namespace) -> int:
    _need("textual_serve")
    from .web import serve_web

    if args.max_sessions < 1:
        raise ServeError(_("{option} must be at least 1").format(option="--max-sessions"))
    if args.public_url is not None and not args.public_url.startswith(("http://", "https://")):
        raise ServeError(_("--public-url {url}: an http:// or https:// URL").format(url=args.public_url))
    data_dir = getattr(args, "data", None)
    if data_dir is not None:
        data_dir = str(Path(data_dir).expanduser().absolute())
    cache, served = prepare(data_dir)
    try:
        return serve_web(args.host, args.port, data_dir, cache, served, args.public_url, args.max_sessions)
    except OSError as exc:  # the port taken, the address not ours
        raise ServeError(_cannot_listen(args, exc)) from None


def run(args: argparse.Namespace) -> int:
    """Entry point of `alliance serve`, from tui/cli.py."""
    try:
        return run_ssh(args) if args.serve_command == "ssh" else run_web(args)
    except ServeError as exc:
        print(_("alliance: {message}").format(message=exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
