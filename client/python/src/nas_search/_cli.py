"""``nas-py``: the command line of the Python client. ``nas-py --help`` lists the commands.

Exit codes (as ``./nas search``): 0 ok, 1 a watched search ended FAILED or CANCELLED, 2 bad usage or a request
the coordinator rejected, 3 coordinator unreachable / timed out / over a limit, 4 coordinator failure.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from typing import Callable, Dict, List, Optional, Sequence, TextIO

import grpc

from . import _cli_trials, _credentials
from ._cli_views import (
    _describe_search,
    _event_dict,
    _jsonable,
    _print,
    _print_json,
    _print_results,
    _print_spaces,
    _print_trial,
    _search_line,
)
from ._client import DEFAULT_TARGET, Client
from ._errors import NasError
from ._search import Search, _interactive
from ._types import SearchEvent

OK, SEARCH_NOT_SUCCEEDED, REJECTED, UNAVAILABLE, SERVER_ERROR = 0, 1, 2, 3, 4

_REJECTED = {"INVALID_ARGUMENT", "NOT_FOUND", "ALREADY_EXISTS", "FAILED_PRECONDITION", "OUT_OF_RANGE",
             "PERMISSION_DENIED", "UNAUTHENTICATED"}
_UNAVAILABLE = {"UNAVAILABLE", "DEADLINE_EXCEEDED", "RESOURCE_EXHAUSTED", "ABORTED", "CANCELLED"}


def exit_code_for(code: grpc.StatusCode) -> int:
    if code == grpc.StatusCode.OK:
        return OK
    if code.name in _REJECTED:
        return REJECTED
    if code.name in _UNAVAILABLE:
        return UNAVAILABLE
    return SERVER_ERROR


# --- commands -----------------------------------------------------------------------------------------------
def _key_values(items: Optional[List[str]], what: str) -> Dict[str, float]:
    result: Dict[str, float] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ValueError(f"Expected {what} as KEY=VALUE, but got {item!r}")
        try:
            result[key] = float(value)
        except ValueError:
            raise ValueError(f"Expected a number for {what} {key!r}, but got {value!r}") from None
    return result


def _follow(search: Search, args: argparse.Namespace, out: TextIO) -> int:
    """Watches until a terminal state; a bar on a terminal, else one line (or JSON object) per event."""
    bar = None
    if not args.json and _interactive() and not args.no_progress:
        from ._search import _ProgressBar

        bar = _ProgressBar(search)
    last_message = None
    try:
        for event in search.watch(timeout=args.wait_timeout):
            if args.json:
                _print_json(_event_dict(event), out)
            elif bar is not None:
                bar.update(event)
                if event.message and event.message != last_message:
                    bar._bar.write(f"{event.state.value}: {event.message}", file=sys.stderr)
            else:
                out.write(_search_line(search.snapshot) + (f"  {event.message}" if event.message else "") + "\n")
                out.flush()
            last_message = event.message
    finally:
        if bar is not None:
            bar.close()
    if not args.json and bar is not None:
        out.write(_search_line(search.snapshot) + "\n")
    return OK if search.state.value == "SUCCEEDED" else SEARCH_NOT_SUCCEEDED


# Options whose absence means "the server's default": given explicitly, they must be positive.
_POSITIVE = ("training_budget", "budget", "top_k", "batch_size", "batches_in_flight", "query_budget")


def cmd_create(client: Client, args: argparse.Namespace, out: TextIO) -> int:
    for name in _POSITIVE:
        value = getattr(args, name)
        if value is not None and value <= 0:
            flag = "--" + name.replace("_", "-")
            raise ValueError(f"{flag} must be positive, got {value} (leave it out for the server default)")
    search = client.create_search(
        space=args.space,
        algorithm=args.algorithm,
        budget=args.budget,
        training_budget=args.training_budget,
        seed=args.seed,
        top_k=args.top_k,
        objective=args.objective,
        batch_size=args.batch_size,
        batches_in_flight=args.batches_in_flight,
        loss=args.loss,
        surrogate=_key_values(args.surrogate, "--surrogate") or None,
        algorithm_config=_key_values(args.set, "--set") or None,
        display_name=args.name,
        request_id=args.request_id,
        query_budget=args.query_budget,
        evaluator=args.evaluator,
        cost=args.cost,
        constraints=_constraints(args.constraint) or None,
        descriptors=args.descriptors.split(",") if args.descriptors else None,
        early_stopping=_cli_trials.early_stopping(args),
    )
    if args.json and not args.watch:
        _print_json(search.snapshot, out)
    elif args.json:
        _print_json({"search": _jsonable(search.snapshot)}, out)
    else:
        out.write(f"created search {search.id}\n")
    if args.watch:
        return _follow(search, args, out)
    return OK


def cmd_get(client: Client, args: argparse.Namespace, out: TextIO) -> int:
    snapshot = client.get_search(args.id).snapshot
    _print(args, out, snapshot, lambda: _describe_search(snapshot, out))
    return OK


def cmd_watch(client: Client, args: argparse.Namespace, out: TextIO) -> int:
    return _follow(client.get_search(args.id), args, out)


def cmd_results(client: Client, args: argparse.Namespace, out: TextIO) -> int:
    results = client.results(args.id, args.top_k)
    _print(args, out, results.to_dict(), lambda: _print_results(results, out))
    return OK


def cmd_list(client: Client, args: argparse.Namespace, out: TextIO) -> int:
    searches = []
    for s in client.iter_searches():
        searches.append(s)
        if args.limit and len(searches) >= args.limit:
            break
    if args.json:
        _print_json([s.snapshot for s in searches], out)
    else:
        for s in searches:
            out.write(_search_line(s.snapshot) + "\n")
        if not searches:
            out.write("no searches\n")
    return OK


def _constraints(items: Optional[List[str]]) -> Dict[str, Dict[str, float]]:
    """"lat_ms_pixel3<=10" / "params_cifar10>=1e5" into the client's constraint mapping."""
    result: Dict[str, Dict[str, float]] = {}
    for item in items or []:
        for op, bound in (("<=", "max"), (">=", "min")):
            column, sep, value = item.partition(op)
            if sep:
                try:
                    result.setdefault(column.strip(), {})[bound] = float(value)
                except ValueError:
                    raise ValueError(f"Expected a number in --constraint {item!r}") from None
                break
        else:
            raise ValueError(f"Expected --constraint COLUMN<=VALUE or COLUMN>=VALUE, but got {item!r}")
    return result


def cmd_ask(client: Client, args: argparse.Namespace, out: TextIO) -> int:
    for t in client.ask_trials(args.id, args.count, args.client_id):
        if args.json:
            _print_json(t, out)
        else:
            out.write(t.architecture + "\n")
    return OK


def cmd_trials(client: Client, args: argparse.Namespace, out: TextIO) -> int:
    for t in client.list_trials(args.id):
        _print_trial(t, out, args.json)
    return OK


def cmd_cancel(client: Client, args: argparse.Namespace, out: TextIO) -> int:
    search = client.cancel_search(args.id)
    _print(args, out, search.snapshot, lambda: out.write(f"cancelled search {search.id} ({search.state.value})\n"))
    return OK


def cmd_spaces(client: Client, args: argparse.Namespace, out: TextIO) -> int:
    spaces = client.spaces()
    _print(args, out, spaces, lambda: _print_spaces(spaces, out))
    return OK


def cmd_plot(client: Client, args: argparse.Namespace, out: TextIO) -> int:
    from . import _plot

    search = client.get_search(args.id)
    if args.kind == "progress":
        # The server keeps no history: follow the search from now on and plot what the events show.
        if not search.done:
            for _ in search.watch(timeout=args.wait_timeout):
                pass
        else:
            search.events.append(_final_event(search))
        _plot.plot_best_so_far(search.best_so_far(), out=args.out, title=f"search {search.id}")
    else:
        results = client.results(search.id, args.top_k)
        plot = {"results": _plot.plot_results, "scatter": _plot.plot_predicted_vs_true, "rank": _plot.plot_ranks}
        plot[args.kind](results, out=args.out)
    if args.json:
        _print_json({"search_id": search.id, "kind": args.kind, "out": os.path.abspath(args.out)}, out)
    else:
        out.write(f"wrote {args.out}\n")
    return OK


def _final_event(search: Search) -> SearchEvent:
    s = search.snapshot
    return SearchEvent(s.id, s.state, "", s.progress, s.error, s.update_time)


# --- parser -------------------------------------------------------------------------------------------------
_DURATION_UNITS = {"ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def duration_seconds(text: str) -> float:
    """"30s", "500ms", "2m", "1h" or a bare number of seconds, as ./nas takes durations."""
    value = text.strip()
    for unit in ("ms", "s", "m", "h"):
        if value.endswith(unit) and value[: -len(unit)].replace(".", "", 1).isdigit():
            seconds = float(value[: -len(unit)]) * _DURATION_UNITS[unit]
            break
    else:
        try:
            seconds = float(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a duration like 30s, 2m or 500ms, but got {text!r}") from None
    if not seconds > 0:
        raise argparse.ArgumentTypeError(f"expected a positive duration, but got {text!r}")
    return seconds

def _common(suppress: bool) -> argparse.ArgumentParser:
    """Options accepted before and after the command; the later ones do not reset the earlier ones."""
    default = (lambda v: argparse.SUPPRESS) if suppress else (lambda v: v)
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--coordinator", "--target", dest="target",
                   default=default(os.environ.get("NAS_COORDINATOR") or os.environ.get("NAS_TARGET") or DEFAULT_TARGET),
                   help="coordinator HOST:PORT, as ./nas takes it (--target and env NAS_TARGET still work) "
                   "[env NAS_COORDINATOR, else %(default)s]" if not suppress else argparse.SUPPRESS)
    p.add_argument("--timeout", type=duration_seconds, default=default(30.0),
                   help="deadline of each call: 30s, 500ms, 2m or seconds [30s]" if not suppress else argparse.SUPPRESS)
    p.add_argument("--json", action="store_true", default=default(False),
                   help="machine-readable output: one JSON document (JSON lines when watching)"
                   if not suppress else argparse.SUPPRESS)
    p.add_argument("--token-file", metavar="FILE", default=default(os.environ.get("NAS_TOKEN_FILE")),
                   help="file holding the bearer token (role client or admin) [env NAS_TOKEN_FILE; without it "
                   "env NAS_TOKEN, else none]" if not suppress else argparse.SUPPRESS)
    p.add_argument("--token", default=default(None),
                   help="bearer token; other users see it in the process list, prefer --token-file"
                   if not suppress else argparse.SUPPRESS)
    p.add_argument("--tls-ca", metavar="PEM", default=default(os.environ.get("NAS_TLS_CA")),
                   help="CA certificates (PEM) to trust; turns TLS on [env NAS_TLS_CA, else plaintext]"
                   if not suppress else argparse.SUPPRESS)
    return p


def build_parser() -> argparse.ArgumentParser:
    common = _common(suppress=True)
    parser = argparse.ArgumentParser(
        prog="nas-py",
        description="Python client of the nas-search coordinator.",
        epilog="Exit codes: 0 ok, 1 search did not succeed, 2 rejected, 3 unavailable/limit, 4 server error.",
        parents=[_common(suppress=False)],
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    search = commands.add_parser("search", help="create, follow and read searches", parents=[common])
    search_cmds = search.add_subparsers(dest="search_command", metavar="SUBCOMMAND", required=True)

    def wait_opts(p: argparse.ArgumentParser) -> None:
        p.add_argument("--wait-timeout", type=duration_seconds, default=None,
                       help="give up watching after this long (30s, 2m or seconds)")
        p.add_argument("--no-progress", action="store_true", help="no progress bar, one line per event")

    create = search_cmds.add_parser("create", help="create and start a search", parents=[common])
    create.add_argument("--space", default="nb201", help="search space id [nb201]")
    create.add_argument("--algorithm", default="regularized_evolution",
                        help="random, regularized_evolution (alias evolution) or local_search [regularized_evolution]")
    create.add_argument("--budget", type=int, help="candidates scored by the surrogate [server: 3000]")
    create.add_argument("--training-budget", type=int, help="architectures that train the surrogate [server: 200]")
    create.add_argument("--seed", type=int, help="seed (0..2^64-1); same seed, same results")
    create.add_argument("--top-k", type=int, help="candidates reported [server: 10]")
    create.add_argument("--objective", help="benchmark column to maximise [the space's default]")
    create.add_argument("--batch-size", type=int, help="candidates per scoring batch [server: 128]")
    create.add_argument(
        "--batches-in-flight",
        type=int,
        help="score batches a surrogate-scored search keeps in flight, 1..64 [server: 4]",
    )
    create.add_argument("--loss", help="surrogate loss: mse, pairwise, hinge or listmle [server's choice]")
    create.add_argument("--surrogate", action="append", metavar="KEY=VALUE",
                        help="surrogate setting, e.g. hidden_units=64 (repeatable)")
    create.add_argument("--set", action="append", metavar="KEY=VALUE",
                        help="algorithm setting, e.g. population_size=50 (repeatable)")
    create.add_argument("--name", help="display name")
    create.add_argument("--request-id", help="idempotency key")
    create.add_argument("--query-budget", type=int, help="predictor_guided: ground-truth evaluations [server: 100]")
    create.add_argument("--evaluator", choices=["benchmark", "client", "surrogate"],
                        help="the table answers, you train (ask/tell), or the search's surrogate scores "
                             "[benchmark for guided and bananas, surrogate for the rest]")
    create.add_argument("--cost", help="predictor_guided: table column to minimise too (e.g. lat_ms_pixel3)")
    create.add_argument("--constraint", action="append", metavar="COLUMN<=VALUE",
                        help="predictor_guided: hard bound on a table column, repeatable")
    create.add_argument("--descriptors", metavar="COL[,COL]", help="predictor_guided: MAP-Elites grid columns")
    _cli_trials.add_create_options(create)
    create.add_argument("--watch", action="store_true", help="follow the search until it ends")
    wait_opts(create)
    create.set_defaults(func=cmd_create)

    get = search_cmds.add_parser("get", help="show one search", parents=[common])
    get.add_argument("id", help="search id (abc or searches/abc)")
    get.set_defaults(func=cmd_get)

    watch = search_cmds.add_parser("watch", help="follow a search until it ends", parents=[common])
    watch.add_argument("id")
    wait_opts(watch)
    watch.set_defaults(func=cmd_watch)

    results = search_cmds.add_parser("results", help="best candidates with ground truth", parents=[common])
    results.add_argument("id")
    results.add_argument("--top-k", type=int, default=None, help="number of candidates [the search's top_k]")
    results.set_defaults(func=cmd_results)

    lst = search_cmds.add_parser("list", help="searches, newest first", parents=[common])
    lst.add_argument("--limit", type=int, default=0, help="at most this many [all]")
    lst.set_defaults(func=cmd_list)

    ask = search_cmds.add_parser("ask", help="architectures to train next (predictor_guided, evaluator client)",
                                 parents=[common])
    ask.add_argument("id")
    ask.add_argument("--count", type=int, default=1, help="trials wanted, 1..1000 [1]")
    ask.add_argument("--client-id", default="", help="names this client: its pending trials come back first")
    ask.set_defaults(func=cmd_ask)

    _cli_trials.add_parsers(search_cmds, common)

    trials = search_cmds.add_parser("trials", help="a predictor_guided search's trials", parents=[common])
    trials.add_argument("id")
    trials.set_defaults(func=cmd_trials)

    cancel = search_cmds.add_parser("cancel", help="cancel an unfinished search", parents=[common])
    cancel.add_argument("id")
    cancel.set_defaults(func=cmd_cancel)

    spaces = commands.add_parser("spaces", help="search spaces the coordinator serves", parents=[common])
    spaces.set_defaults(func=cmd_spaces)

    plot = commands.add_parser("plot", help="render a plot of a search to an image file", parents=[common])
    plot.add_argument("id")
    plot.add_argument("--out", required=True, help="output file; format from the extension (.png, .svg, .pdf)")
    plot.add_argument("--kind", choices=["results", "scatter", "rank", "progress"], default="results",
                      help="results: scatter + rank side by side [default]; scatter: predicted score vs true "
                           "objective with Kendall tau; rank: predicted vs true rank; progress: best so far vs "
                           "candidates scored, from watching the search now (the server keeps no history)")
    plot.add_argument("--top-k", type=int, default=None, help="candidates to plot [the search's top_k]")
    plot.add_argument("--wait-timeout", type=duration_seconds, default=None, help="with --kind progress: stop watching after")
    plot.set_defaults(func=cmd_plot)
    return parser


def main(argv: Optional[Sequence[str]] = None, out: Optional[TextIO] = None) -> int:
    out = out or sys.stdout
    args = build_parser().parse_args(argv)
    func: Callable[[Client, argparse.Namespace, TextIO], int] = args.func
    try:
        token = _credentials.resolve_token(args.token, args.token_file, lambda m: sys.stderr.write(m + "\n"))
        roots = _credentials.read_ca(args.tls_ca)
        with Client(args.target, timeout=args.timeout, token=token, tls=roots is not None,
                    root_certificates=roots) as client:
            return func(client, args, out)
    except NasError as e:
        _report(args, e.code.name, e.message, [dataclasses.asdict(v) for v in e.field_violations])
        return exit_code_for(e.code)
    except (ValueError, TypeError) as e:
        _report(args, "INVALID_ARGUMENT", str(e), [])
        return REJECTED
    except ImportError as e:
        _report(args, "FAILED_PRECONDITION", str(e), [])
        return REJECTED
    except KeyboardInterrupt:
        return 130


def _report(args: argparse.Namespace, code: str, message: str, violations: List[Dict[str, str]]) -> None:
    if getattr(args, "json", False):
        sys.stderr.write(json.dumps({"error": {"code": code, "message": message, "field_violations": violations}}) + "\n")
    else:
        sys.stderr.write(f"nas-py: {code}: {message}\n")
        for v in violations:
            line = f"{v['field']}: {v['description']}"
            if line not in message:  # the message usually says it already
                sys.stderr.write(f"  {line}\n")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
