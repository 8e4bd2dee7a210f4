"""``nas-py search tell``, ``add-trial`` and ``report``: results and measurements of client-evaluated trials."""
from __future__ import annotations

import argparse
from typing import Any, Dict, Optional, TextIO

from ._cli_views import _print_json, _print_trial
from ._client import Client

OK = 0


def cmd_tell(client: Client, args: argparse.Namespace, out: TextIO) -> int:
    if sum(v is not None for v in (args.objective, args.failed, args.infeasible)) != 1:
        raise ValueError("Expected exactly one of OBJECTIVE, --failed REASON, --infeasible REASON")
    trial = client.tell_trial(
        args.id, args.architecture, args.objective, failure_reason=args.failed, infeasible_reason=args.infeasible
    )
    _print_trial(trial, out, args.json)
    return OK


def cmd_add_trial(client: Client, args: argparse.Namespace, out: TextIO) -> int:
    _print_trial(client.add_trial(args.id, args.architecture, args.objective, client_id=args.client_id), out, args.json)
    return OK


def cmd_report(client: Client, args: argparse.Namespace, out: TextIO) -> int:
    advice = client.report_measurement(args.id, args.architecture, args.step, args.value)
    if args.json:
        _print_json(advice, out)
    else:
        out.write(f"stop: {advice.reason}\n" if advice.should_stop else "continue\n")
    return OK


def early_stopping(args: argparse.Namespace) -> Optional[Dict[str, Any]]:
    """create's --early-stopping and its settings, as ``Client.create_search(early_stopping=...)`` takes them."""
    settings: Dict[str, Any] = {"rule": args.early_stopping}
    for name in ("min_step", "reduction_factor"):
        if getattr(args, name) is not None:
            settings[name] = getattr(args, name)
    if args.stop_quantile is not None:
        settings["quantile"] = args.stop_quantile
    if args.stop_top_fraction is not None:
        settings["top_fraction"] = args.stop_top_fraction
    return settings if args.early_stopping != "none" or len(settings) > 1 else None


def add_create_options(create: argparse.ArgumentParser) -> None:
    create.add_argument("--early-stopping", default="none", choices=["none", "successive_halving", "surrogate"],
                        help="evaluator client: when trials that report measurements ('search report') stop [none]")
    create.add_argument("--min-step", type=int, help="early stopping: first step a trial can stop at [server: 1]")
    create.add_argument("--reduction-factor", type=float,
                        help="successive_halving: the top 1/F go on at each rung [server: 3]")
    create.add_argument("--stop-quantile", type=float,
                        help="surrogate rule: stop below this quantile of finished trials [server: 0.5]")
    create.add_argument("--stop-top-fraction", type=float,
                        help="surrogate rule: unless predicted in this top fraction [server: 0.25]")


def add_parsers(search_cmds: Any, common: argparse.ArgumentParser) -> None:
    tell = search_cmds.add_parser("tell", help="report the result of an asked trial (objective, --failed or "
                                               "--infeasible)", parents=[common])
    tell.add_argument("id")
    tell.add_argument("architecture")
    tell.add_argument("objective", type=float, nargs="?", help="measured objective, higher is better")
    tell.add_argument("--failed", metavar="REASON", help="the architecture could not be evaluated")
    tell.add_argument("--infeasible", metavar="REASON", help="the architecture is not a valid solution")
    tell.set_defaults(func=cmd_tell)

    add = search_cmds.add_parser("add-trial", help="add the objective of an architecture the search did not ask for",
                                 parents=[common])
    add.add_argument("id")
    add.add_argument("architecture")
    add.add_argument("objective", type=float, help="measured objective, higher is better")
    add.add_argument("--client-id", default="", help="who evaluated it")
    add.set_defaults(func=cmd_add_trial)

    report = search_cmds.add_parser("report", help="report an intermediate measurement; prints continue or "
                                                   "stop: REASON", parents=[common])
    report.add_argument("id")
    report.add_argument("architecture")
    report.add_argument("step", type=int, help="training step, e.g. the epoch")
    report.add_argument("value", type=float, help="the objective at this step")
    report.set_defaults(func=cmd_report)
