"""nas-py finds its token as the Java CLI does: --token-file or env NAS_TOKEN_FILE (warning when others may read
the file), --token with a warning, env NAS_TOKEN. Against a real coordinator started with --auth-tokens: calls
without a token are refused, and a search is NOT_FOUND to another client's token."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Iterator

import pytest

from conftest import JAR, _start, _stop, _wait_for, free_port
from nas_search import Client, NasError
from nas_search._cli import REJECTED, main
from nas_search._credentials import resolve_token

ALICE, BOB = "alice-token-0123456789", "bob-token-0123456789ab"


def _secret(path: Path, text: str, mode: int = 0o600) -> str:
    path.write_text(text + "\n")
    os.chmod(path, mode)
    return str(path)


def test_a_private_token_file_is_read_without_a_warning(tmp_path: Path) -> None:
    warnings = []
    assert resolve_token(None, _secret(tmp_path / "t", ALICE), warnings.append) == ALICE
    assert warnings == []


def test_a_token_file_others_may_read_gets_a_warning(tmp_path: Path) -> None:
    warnings = []
    path = _secret(tmp_path / "t", ALICE, 0o644)
    assert resolve_token(None, path, warnings.append) == ALICE
    assert warnings == [f"warning: {path} holds secrets but group and others may read it; run chmod 600 {path}"]


def test_token_on_the_command_line_warns_and_both_options_are_refused(tmp_path: Path) -> None:
    warnings = []
    assert resolve_token(ALICE, None, warnings.append) == ALICE
    assert "ps" in warnings[0]
    with pytest.raises(ValueError, match="one of --token and --token-file"):
        resolve_token(ALICE, _secret(tmp_path / "t", ALICE), warnings.append)
    with pytest.raises(ValueError, match="empty"):
        resolve_token(None, _secret(tmp_path / "e", ""), warnings.append)


@pytest.fixture(scope="module")
def secured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    workdir = tmp_path_factory.mktemp("secured")
    shutil.copy2(JAR, workdir / "nas.jar")
    tokens = _secret(workdir / "tokens.txt", f"client {ALICE} name=alice\nclient {BOB} name=bob")
    port = free_port()
    coordinator = _start(["coordinator", "--host", "127.0.0.1", "--port", str(port), "--auth-tokens", tokens,
                          "--store", "memory"], workdir, "coordinator.log")
    target = f"127.0.0.1:{port}"
    probe = Client(target, timeout=2.0, token=ALICE)

    def ready() -> bool:
        try:
            return bool(probe.spaces())
        except NasError:
            return False

    try:
        _wait_for("the secured coordinator to answer", ready, [coordinator],
                  lambda: (workdir / "coordinator.log").read_text(errors="replace"))
        probe.close()
        yield target
    finally:
        _stop([coordinator])


def test_token_file_and_env_reach_the_coordinator_and_isolate_clients(secured: str, tmp_path: Path, capsys,
                                                                       monkeypatch) -> None:
    monkeypatch.delenv("NAS_TOKEN", raising=False)
    monkeypatch.delenv("NAS_TOKEN_FILE", raising=False)
    alice, bob = _secret(tmp_path / "alice", ALICE), _secret(tmp_path / "bob", BOB)

    assert main(["--target", secured, "--json", "search", "list"]) == REJECTED
    assert "UNAUTHENTICATED" in capsys.readouterr().err

    assert main(["--target", secured, "--json", "--token-file", alice, "search", "create", "--evaluator", "client",
                 "--algorithm", "random", "--query-budget", "5"]) == 0
    created = json.loads(capsys.readouterr().out)["id"]

    monkeypatch.setenv("NAS_TOKEN_FILE", bob)
    assert main(["--target", secured, "--json", "search", "get", created]) == REJECTED
    assert "NOT_FOUND" in capsys.readouterr().err
    assert main(["--target", secured, "--json", "search", "list"]) == 0
    assert json.loads(capsys.readouterr().out) == []

    monkeypatch.setenv("NAS_TOKEN_FILE", alice)
    assert main(["--target", secured, "--json", "search", "get", created]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == created
