"""A real coordinator and real TensorFlow workers on loopback, started once per test session.

They run from the project's own launcher jar (launcher/target/nas.jar; ./client/python/run-tests.sh builds it when
missing), copied to a temporary directory first so that a rebuild of the jar during the run cannot pull classes
out from under the JVMs. Benchmark tables come from NAS_DATA_DIR, else ../shared/data beside the repository;
without them the coordinator serves its bundled compact table and the table checks skip, or fail when CI=true.
"""
from __future__ import annotations

import csv
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import grpc
import pytest

from nas_search import Client, NasError

REPO_ROOT = Path(__file__).resolve().parents[3]
JAR = Path(os.environ.get("NAS_JAR", REPO_ROOT / "launcher" / "target" / "nas.jar"))
WORKERS = int(os.environ.get("NAS_PY_TEST_WORKERS", "2"))
STARTUP_TIMEOUT_S = 120.0
IN_CI = os.environ.get("CI", "").lower() == "true"


def data_dir() -> Optional[Path]:
    configured = os.environ.get("NAS_DATA_DIR")
    candidate = Path(configured) if configured else REPO_ROOT.parent / "shared" / "data"
    return candidate if (candidate / "nb201.csv").is_file() else None


def require_data() -> Path:
    """The benchmark data directory; skips the test without it, or fails when CI=true."""
    found = data_dir()
    if found is None:
        message = "benchmark table nb201.csv not found (set NAS_DATA_DIR or provide ../shared/data)"
        if IN_CI:
            pytest.fail(message + "; CI=true requires it")
        pytest.skip(message)
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Cluster:
    target: str
    workdir: Path
    coordinator: subprocess.Popen
    workers: List[subprocess.Popen]

    def client(self, **kwargs) -> Client:
        return Client(self.target, **kwargs)

    def logs(self) -> str:
        parts = []
        for log in sorted(self.workdir.glob("*.log")):
            lines = log.read_text(errors="replace").splitlines()[-40:]
            parts.append(f"--- {log.name} (last {len(lines)} lines)\n" + "\n".join(lines))
        return "\n".join(parts)


def _start(args: List[str], workdir: Path, log_name: str) -> subprocess.Popen:
    # Any free port for side endpoints (metrics), through the launcher's env settings, which a launcher without
    # such an option ignores; a fixed default port would clash with another coordinator on this machine.
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", NAS_COORDINATOR_METRICS_PORT="0", NAS_WORKER_METRICS_PORT="0")
    log = open(workdir / log_name, "wb")
    return subprocess.Popen(
        ["java", "-jar", str(workdir / "nas.jar"), *args],
        cwd=workdir,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )


def _worker_serving(port: int) -> bool:
    """gRPC health check of a worker's --health-port: SERVING once it is connected to the coordinator."""
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        check = channel.unary_unary(
            "/grpc.health.v1.Health/Check", request_serializer=lambda b: b, response_deserializer=lambda b: b
        )
        try:
            return check(b"", timeout=2) == b"\x08\x01"  # HealthCheckResponse{status: SERVING}
        except grpc.RpcError:
            return False


def _wait_for(what: str, ready, processes: List[subprocess.Popen], cluster_logs) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        for p in processes:
            if p.poll() is not None:
                pytest.fail(f"Expected {what}, but a process exited with {p.returncode}\n{cluster_logs()}")
        if ready():
            return
        time.sleep(0.25)
    pytest.fail(f"Expected {what} within {STARTUP_TIMEOUT_S}s, but it did not happen\n{cluster_logs()}")


def _stop(processes: List[subprocess.Popen]) -> None:
    for p in processes:
        if p.poll() is None:
            p.terminate()
    for p in processes:
        try:
            p.wait(timeout=15)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


@pytest.fixture(scope="session")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    if not JAR.is_file():
        pytest.fail(f"Expected the launcher jar at {JAR}; build it with: cd {REPO_ROOT} && ./nas --help")
    workdir = tmp_path_factory.mktemp("cluster")
    shutil.copy2(JAR, workdir / "nas.jar")
    port = free_port()
    coordinator_args = ["coordinator", "--host", "127.0.0.1", "--port", str(port)]
    data = data_dir()
    if data is not None:
        coordinator_args += ["--data-dir", str(data)]
    coordinator = _start(coordinator_args, workdir, "coordinator.log")
    cluster = Cluster(f"127.0.0.1:{port}", workdir, coordinator, [])
    try:
        probe = Client(cluster.target, timeout=2.0)

        def coordinator_ready() -> bool:
            try:
                return bool(probe.spaces())
            except NasError:
                return False

        _wait_for("the coordinator to answer ListSpaces", coordinator_ready, [coordinator], cluster.logs)
        probe.close()
        health_ports = []
        for i in range(WORKERS):
            health_port = free_port()
            health_ports.append(health_port)
            cluster.workers.append(
                _start(
                    ["worker", "--coordinator", cluster.target, "--id", f"pytest-worker-{i}",
                     "--health-port", str(health_port)],
                    workdir,
                    f"worker-{i}.log",
                )
            )
        _wait_for(
            f"{WORKERS} workers to connect",
            lambda: all(_worker_serving(p) for p in health_ports),
            [coordinator, *cluster.workers],
            cluster.logs,
        )
        yield cluster
    finally:
        _stop(cluster.workers)
        _stop([coordinator])
        sys.stderr.write(f"\ncluster logs kept in {workdir}\n")


@pytest.fixture(scope="session")
def client(cluster: Cluster) -> Iterator[Client]:
    with cluster.client(timeout=30.0) as c:
        yield c


# A small search: 100 training rows, 600 candidates; seconds on two cores.
SMALL_SEARCH = dict(space="nb201", algorithm="regularized_evolution", training_budget=100, budget=600, seed=20240611,
                    top_k=10, batch_size=64)


@pytest.fixture(scope="session")
def finished_search(client: Client):
    search = client.create_search(**SMALL_SEARCH, display_name="pytest e2e")
    search.wait(progress=False, timeout=180)
    return search


@pytest.fixture(scope="session")
def nb201_table() -> Dict[str, Dict[str, str]]:
    """nb201.csv rows by architecture string."""
    path = require_data() / "nb201.csv"
    with open(path, newline="") as f:
        return {row["arch"]: row for row in csv.DictReader(f)}
