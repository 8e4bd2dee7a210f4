"""The committed stubs in src/nas_search/_proto/ are exactly what scripts/gen_protos.py makes from proto/."""
from __future__ import annotations

import filecmp
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE_ROOT = Path(__file__).resolve().parents[1]
SCRIPT = PACKAGE_ROOT / "scripts" / "gen_protos.py"
COMMITTED = PACKAGE_ROOT / "src" / "nas_search" / "_proto"


def test_committed_stubs_match_the_protos(tmp_path: Path) -> None:
    if importlib.util.find_spec("grpc_tools") is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("grpcio-tools is missing; install the [test] extra")
        pytest.skip("grpcio-tools not installed (pip install 'nas-search[test]')")
    done = subprocess.run([sys.executable, str(SCRIPT), "--out", str(tmp_path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    generated = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    committed = sorted(
        p.relative_to(COMMITTED) for p in COMMITTED.rglob("*") if p.is_file() and "__pycache__" not in p.parts
    )
    assert generated == committed, "stub files differ; run: python client/python/scripts/gen_protos.py"
    stale = [str(p) for p in generated if not filecmp.cmp(tmp_path / p, COMMITTED / p, shallow=False)]
    assert not stale, f"stale stubs {stale}; run: python client/python/scripts/gen_protos.py and commit the result"


def test_stubs_import_as_a_package() -> None:
    from nas_search._proto.nas.v1 import search_service_pb2, search_service_pb2_grpc, types_pb2

    assert search_service_pb2.DESCRIPTOR.package == "nas.v1"
    assert types_pb2.SearchSpec.DESCRIPTOR.fields_by_name["candidate_budget"].number == 6
    assert hasattr(search_service_pb2_grpc, "SearchServiceStub")
