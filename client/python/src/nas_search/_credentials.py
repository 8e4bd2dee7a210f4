"""Where nas-py finds its bearer token and TLS roots, as the Java CLI does.

Order: ``--token-file`` (env ``NAS_TOKEN_FILE``), ``--token`` (with a warning: other users see it in ``ps``), env
``NAS_TOKEN``, else none. A token file that its group or others may read gets a one-line warning, never an error.
"""
from __future__ import annotations

import os
import stat
from typing import Callable, Optional


def read_token_file(path: str) -> str:
    """The token in ``path``, surrounding white space removed; ValueError when missing or empty."""
    try:
        with open(path, encoding="utf-8") as f:
            token = f.read().strip()
    except OSError as e:
        raise ValueError(f"Expected a readable --token-file, but {path} is not: {e.strerror}") from None
    if not token:
        raise ValueError(f"Expected a token in {path}, but the file is empty")
    return token


def exposure(path: str) -> Optional[str]:
    """A one-line warning when the group or others may read ``path`` (e.g. mode 0644), else None."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    group, others = bool(mode & stat.S_IRGRP), bool(mode & stat.S_IROTH)
    if not (group or others):
        return None
    who = "group and others" if group and others else "its group" if group else "others"
    return f"warning: {path} holds secrets but {who} may read it; run chmod 600 {path}"


def resolve_token(token: Optional[str], token_file: Optional[str], warn: Callable[[str], None]) -> Optional[str]:
    """The bearer token from the options and environment; warnings go to ``warn``."""
    if token is not None and token_file:
        raise ValueError("Expected one of --token and --token-file, but got both")
    if token_file:
        message = exposure(token_file)
        if message:
            warn(message)
        return read_token_file(token_file)
    if token:
        warn("warning: --token shows the token to every user of this machine (ps); use --token-file or env NAS_TOKEN")
        return token
    env = os.environ.get("NAS_TOKEN", "").strip()
    return env or None


def read_ca(path: Optional[str]) -> Optional[bytes]:
    """The PEM roots of ``--tls-ca`` (env ``NAS_TLS_CA``), or None for plaintext."""
    if not path:
        return None
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise ValueError(f"Expected a readable --tls-ca, but {path} is not: {e.strerror}") from None
