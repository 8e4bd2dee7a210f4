"""nas-py: JSON output parses, exit codes follow ./nas search (0 ok, 1 not succeeded, 2 rejected, 3 unavailable)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from conftest import SMALL_SEARCH, free_port
from nas_search._cli import main


def run(capsys, *argv: str):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_create_watch_results_as_json(cluster, capsys) -> None:
    code, out, _ = run(capsys, "--json", "--target", cluster.target, "search", "create", "--training-budget", "100",
                       "--budget", "300", "--seed", "9", "--batch-size", "64", "--name", "from cli")
    assert code == 0
    created = json.loads(out)
    assert created["state"] in ("PENDING", "TRAINING", "RUNNING", "SUCCEEDED")
    assert created["spec"]["candidate_budget"] == 300 and created["display_name"] == "from cli"

    code, out, _ = run(capsys, "search", "watch", created["id"], "--target", cluster.target, "--json",
                       "--wait-timeout", "180")
    assert code == 0
    events = [json.loads(line)["event"] for line in out.splitlines()]
    assert events[-1]["state"] == "SUCCEEDED"

    code, out, _ = run(capsys, "--json", "--target", cluster.target, "search", "results", created["id"], "--top-k", "5")
    assert code == 0
    results = json.loads(out)
    assert [c["predicted_rank"] for c in results["candidates"]] == [1, 2, 3, 4, 5]
    assert all(c["true_objective"] is not None for c in results["candidates"])

    code, out, _ = run(capsys, "--json", "--target", cluster.target, "search", "get", created["id"])
    assert code == 0 and json.loads(out)["state"] == "SUCCEEDED"
    code, out, _ = run(capsys, "--json", "--target", cluster.target, "search", "list", "--limit", "3")
    assert code == 0 and 1 <= len(json.loads(out)) <= 3
    code, out, _ = run(capsys, "--json", "--target", cluster.target, "spaces")
    assert code == 0 and json.loads(out)[0]["id"] == "nb201"


def test_text_output(cluster, finished_search, capsys) -> None:
    code, out, _ = run(capsys, "--target", cluster.target, "search", "results", finished_search.id)
    assert code == 0 and "Kendall tau" in out and len(out.splitlines()) == 14
    best = finished_search.results(top_k=10).best_true
    assert (f"picked (highest cifar10_valid of these 10): rank {best.predicted_rank} {best.architecture}, "
            f"test accuracy {best.true_test_accuracy:.2f}%") in out, out
    code, out, _ = run(capsys, "--target", cluster.target, "search", "get", finished_search.id)
    assert code == 0 and "SUCCEEDED" in out
    code, out, _ = run(capsys, "--target", cluster.target, "search", "create", "--budget", "100",
                       "--training-budget", "100", "--seed", "3", "--watch", "--no-progress", "--wait-timeout", "180")
    assert code == 0 and "SUCCEEDED" in out.splitlines()[-1]


def test_errors_exit_non_zero_with_the_status(cluster, capsys) -> None:
    code, _, err = run(capsys, "--json", "--target", cluster.target, "search", "create", "--training-budget", "5")
    assert code == 2
    error = json.loads(err)["error"]
    assert error["code"] == "INVALID_ARGUMENT"
    assert "spec.training_budget" in [v["field"] for v in error["field_violations"]]
    code, _, err = run(capsys, "--target", cluster.target, "search", "create", "--budget", "-5")
    assert code == 2 and "--budget must be positive" in err
    code, _, err = run(capsys, "--target", cluster.target, "search", "get", "nope")
    assert code == 2 and "NOT_FOUND" in err
    code, _, err = run(capsys, "--target", cluster.target, "search", "create", "--budget", "5000000000")
    assert code == 3 and "RESOURCE_EXHAUSTED" in err
    code, _, err = run(capsys, "--target", cluster.target, "search", "create", "--set", "population_size")
    assert code == 2 and "KEY=VALUE" in err
    code, _, err = run(capsys, "--target", f"127.0.0.1:{free_port()}", "--timeout", "5", "spaces")
    assert code == 3 and "UNAVAILABLE" in err


def test_cancelled_search_watch_exits_1(cluster, capsys) -> None:
    code, out, _ = run(capsys, "--json", "--target", cluster.target, "search", "create", "--budget", "15625",
                       "--batch-size", "1", "--training-budget", "100", "--seed", "4")
    search_id = json.loads(out)["id"]
    code, out, _ = run(capsys, "--json", "--target", cluster.target, "search", "cancel", search_id)
    assert code == 0 and json.loads(out)["state"] == "CANCELLED"
    code, _, _ = run(capsys, "--target", cluster.target, "search", "watch", search_id, "--no-progress")
    assert code == 1


def test_console_script_is_installed(cluster) -> None:
    exe = shutil.which("nas-py", path=os.path.dirname(sys.executable)) or shutil.which("nas-py")
    assert exe, "pip install puts nas-py next to the interpreter"
    done = subprocess.run([exe, "--json", "--target", cluster.target, "spaces"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0]["id"] == "nb201"
    usage = subprocess.run([exe, "search"], capture_output=True, text=True, timeout=60)
    assert usage.returncode == 2
    module = subprocess.run([sys.executable, "-m", "nas_search", "--help"], capture_output=True, text=True, timeout=60)
    assert module.returncode == 0 and "nas-py" in module.stdout



def test_ask_tell_from_the_command_line(cluster, capsys, nb201_table) -> None:
    target = ["--target", cluster.target]
    code, out, _ = run(capsys, "search", "create", *target, "--algorithm", "guided", "--evaluator", "client",
                       "--query-budget", "12", "--seed", "3", "--set", "initial_queries=10", "--json")
    assert code == 0
    search_id = json.loads(out)["id"]
    code, out, _ = run(capsys, "search", "ask", *target, search_id, "--count", "3", "--client-id", "cli")
    archs = out.split()
    assert code == 0 and len(archs) == 3
    value = float(nb201_table[archs[0]]["cifar10_valid"])
    code, out, _ = run(capsys, "search", "tell", *target, search_id, archs[0], str(value))
    assert code == 0 and out.startswith("completed") and archs[0] in out
    code, out, _ = run(capsys, "search", "tell", *target, search_id, archs[1], "--failed", "diverged")
    assert code == 0 and "diverged" in out
    code, out, err = run(capsys, "search", "tell", *target, search_id, archs[2])
    assert code == 2 and "OBJECTIVE" in err
    code, out, _ = run(capsys, "search", "trials", *target, search_id, "--json")
    states = [json.loads(line)["state"] for line in out.splitlines()]
    assert states == ["completed", "failed", "pending"]
    code, out, _ = run(capsys, "search", "get", *target, search_id)
    assert code == 0 and "2/12" in out and "trials told" in out and "scored" not in out, out
    code, out, _ = run(capsys, "search", "list", *target)
    assert code == 0 and f"{search_id}" in out and "trials told" in out, out
    code, _, err = run(capsys, "search", "create", *target, "--algorithm", "guided", "--constraint", "lat_ms_pixel3~10")
    assert code == 2 and "COLUMN<=VALUE" in err
    code, _, err = run(capsys, "search", "create", *target, "--budget", "0")
    assert code == 2 and "--budget must be positive, got 0" in err, err


def test_add_trial_and_report_from_the_command_line(cluster, capsys) -> None:
    target = ["--target", cluster.target]
    code, out, _ = run(capsys, "search", "create", *target, "--algorithm", "random", "--evaluator", "client",
                       "--query-budget", "5", "--early-stopping", "successive_halving", "--reduction-factor", "2",
                       "--json")
    assert code == 0
    search_id = json.loads(out)["id"]
    code, out, _ = run(capsys, "search", "ask", *target, search_id, "--count", "2")
    a, b = out.split()
    code, out, _ = run(capsys, "search", "report", *target, search_id, a, "1", "50")
    assert code == 0 and out == "continue\n"
    code, out, _ = run(capsys, "search", "report", *target, search_id, b, "1", "40", "--json")
    assert code == 0 and json.loads(out)["should_stop"] is True
    code, out, _ = run(capsys, "search", "tell", *target, search_id, a, "--infeasible", "too big")
    assert code == 0 and out.startswith("infeasible") and "too big" in out
    unasked = "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|"
    code, _, err = run(capsys, "search", "tell", *target, search_id, unasked, "80")
    assert code == 2 and "AddTrial" in err
    code, out, _ = run(capsys, "search", "add-trial", *target, search_id, unasked, "80", "--client-id", "me")
    assert code == 0 and out.startswith("completed")


def test_spaces_show_objectives_and_columns_wrapped_to_the_terminal(cluster, capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    code, out, _ = run(capsys, "spaces", "--coordinator", cluster.target)
    assert code == 0
    # an example architecture is one word to copy whole
    assert all(len(line) <= 60 for line in out.splitlines() if not line.startswith("  e.g. ")), out
    assert "  objectives: cifar10_valid," in out, out
