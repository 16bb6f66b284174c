"""Load benchmark: the app under gunicorn on loopback, a realistic mix at a fixed arrival rate.

    .venv/bin/python benchmarks/load.py --database-url URL [--students 15000] [--rate 200]
        [--duration 60] [--closed 5] [--workers 2]

Seeds the database with `flask seed-scale` unless it already holds a seeded programme, starts
gunicorn (`-w 2`, an ephemeral port) with the app and, under the same settings, a bare Flask
endpoint. Then it logs in students, a supervisor and the coordinator, drives the mix at
--rate requests per second for --duration seconds (latency counted from each request's planned
start, so a slow server cannot hide its queue) and prints per endpoint: requests per second,
p50/p95/p99, errors and SQL queries per request. Last, each endpoint runs closed-loop (as fast
as it answers) for --closed seconds and its throughput is printed as a ratio to the bare
endpoint, after the app's signed-in floor (a request that only passes the session check, the
hooks and the commit). Every run is bounded in time; see benchmarks/README.md for figures.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from http_client import ERRORS, Session  # noqa: E402
from load_database import placements_in, tune_postgres  # noqa: E402
from load_mix import MIX, Client, login_all, signed_in_floor  # noqa: E402
from load_targets import Run, report  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
POOL_THREADS = 64  # enough to keep the arrival rate while some requests are slow
GRACE_SECONDS = 10  # after the run, requests not started by then are dropped
CLOSED_CALLERS = 4


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run_flask(env: dict, *args: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own flask, fixed arguments
        [str(BIN / "flask"), "--app", "portfolio", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    if result.returncode != 0 and "al een gezaaide" not in result.stderr:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{result.stderr[-2000:]}")
    return result.stdout


@contextmanager
def gunicorn(app_spec: str, env: dict, workers: int):
    """Start gunicorn on an ephemeral loopback port; yield (base URL, master pid)."""
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            str(BIN / "gunicorn"),
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--pythonpath",
            str(ROOT / "benchmarks"),
            "--log-level",
            "warning",
            app_spec,
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                Session(base).get("/aanmelden", timeout=10)
                break
            except ERRORS:
                time.sleep(0.2)
        yield base, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def worker_rss_mb(master_pid: int) -> list[float]:
    """Return each gunicorn worker's resident memory in MB (Linux /proc)."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    sizes = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


def _cpu_seconds(pid: str) -> float:
    """User plus system CPU a process has used (Linux /proc), 0 if it has gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_cpu(master_pid: int) -> dict[str, float]:
    """CPU seconds used so far by the gunicorn workers and by this machine's PostgreSQL
    processes (a database elsewhere counts as 0)."""
    workers = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    database = [
        path.parent.name
        for path in Path("/proc").glob("[0-9]*/comm")
        if _read(path) in ("postgres", "postmaster")
    ]
    return {
        "workers": sum(_cpu_seconds(pid) for pid in workers),
        "PostgreSQL": sum(_cpu_seconds(pid) for pid in database),
    }


def _read(path: Path) -> str:
    try:
        return path.read_text().strip()
    except OSError:
        return ""


def print_server_cpu(before: dict, after: dict, elapsed: float, answered: int) -> float:
    """Print the server's CPU during the run, per second and per answered request (unlike the
    rates and latencies it hardly depends on how busy the machine is); return the total ms a
    request."""
    used = {name: after[name] - before[name] for name in before}
    a_request = {name: seconds / max(answered, 1) * 1000 for name, seconds in used.items()}
    parts = [
        f"{name} {used[name] / elapsed:.2f} cores ({a_request[name]:.1f} ms a request)"
        for name in used
    ]
    print("server CPU: " + ", ".join(parts))
    return sum(a_request.values())


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def open_loop(clients: dict[str, list[Client]], rate: float, duration: float, rng) -> dict:
    """Send the mix at a fixed arrival rate; return per endpoint latencies, errors, queries."""
    results: dict[str, dict] = defaultdict(lambda: {"ms": [], "errors": 0, "queries": []})
    lock = threading.Lock()
    last_answer = [0.0]
    names = [name for name, _, _ in MIX]
    weights = [weight for _, weight, _ in MIX]
    actions = {name: (role, action) for name, _, (role, action) in MIX}

    def one(name: str, planned: float) -> None:
        role, action = actions[name]
        client = rng.choice(clients[role])
        ok, queries = client.run(action)
        answered = time.perf_counter()
        elapsed = (answered - planned) * 1000
        with lock:
            last_answer[0] = max(last_answer[0], answered)
            entry = results[name]
            entry["ms"].append(elapsed)
            entry["errors"] += not ok
            if queries is not None:
                entry["queries"].append(queries)

    start = time.perf_counter()
    pool = ThreadPoolExecutor(POOL_THREADS)
    futures = []
    n = 0
    while (planned := start + n / rate) < start + duration:
        delay = planned - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        name = rng.choices(names, weights)[0]
        futures.append((name, pool.submit(one, name, planned)))
        n += 1
    # Bounded: what the server has not started within the grace time is dropped (an error).
    grace_ends = start + duration + GRACE_SECONDS
    wait([future for _, future in futures], timeout=max(0.0, grace_ends - time.perf_counter()))
    pool.shutdown(wait=True, cancel_futures=True)
    for name, future in futures:
        if future.cancelled():
            results[name]["errors"] += 1
            results[name]["dropped"] = results[name].get("dropped", 0) + 1
    # Rates count over the time the answers took to come: the run, plus the queue's drain.
    results["_elapsed"] = max(duration, last_answer[0] - start)
    return results


def closed_loop(run_one, seconds: float, threads: int = CLOSED_CALLERS) -> float:
    """Return requests per second when `threads` callers send back to back for `seconds`.

    `run_one(i)` sends caller i's next request and says whether it was answered without error;
    only those count."""
    done = [0] * threads
    stop = time.perf_counter() + seconds

    def loop(i: int) -> None:
        while time.perf_counter() < stop:
            done[i] += bool(run_one(i))

    workers = [threading.Thread(target=loop, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return sum(done) / seconds


def print_open_loop(results: dict, duration: float) -> int:
    """Print the run's table; return how many requests were answered."""
    answered = sum(len(r["ms"]) for k, r in results.items() if k[0] != "_")
    print(
        f"\nOpen loop: {answered} requests answered in {duration:.1f} s ({answered / duration:.0f} req/s)"
    )
    print(
        f"{'endpoint':<24}{'req/s':>8}{'p50':>8}{'p95':>8}{'p99':>8}{'errors':>8}{'SQL/req':>9}"
        f"{'dropped':>9}"
    )
    for name, _, _ in MIX:
        r = results.get(name)
        if not r or not r["ms"]:
            continue
        sql = statistics.mean(r["queries"]) if r["queries"] else float("nan")
        print(
            f"{name:<24}{len(r['ms']) / duration:>8.1f}{percentile(r['ms'], 50):>8.0f}"
            f"{percentile(r['ms'], 95):>8.0f}{percentile(r['ms'], 99):>8.0f}"
            f"{r['errors']:>8}{sql:>9.1f}{r.get('dropped', 0):>9}"
        )
    print("(latencies in ms from the planned start of each request)")
    return answered


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--students", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--closed", type=float, default=5, help="seconds per closed-loop run")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--users", type=int, default=40, help="students logged in")
    parser.add_argument(
        "--check", action="store_true", help="exit with status 1 when a target is missed"
    )
    parser.add_argument(
        "--without",
        action="append",
        default=[],
        metavar="ENDPOINT",
        help="leave an endpoint of the mix out, e.g. --without 'coordinator home'",
    )
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # progress shows when written to a file
    unknown = set(args.without) - {name for name, _, _ in MIX}
    if unknown:
        parser.error(f"unknown endpoint(s): {', '.join(sorted(unknown))}")
    MIX[:] = [entry for entry in MIX if entry[0] not in args.without]
    # A terminated run still stops its servers (the `finally` of gunicorn()).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    if not args.database_url:
        parser.error("give --database-url (or BENCH_DATABASE_URL)")
    env = {**os.environ, "DATABASE_URL": args.database_url, "SECRET_KEY": "load-benchmark"}
    _run_flask(env, "db", "upgrade")
    print(_run_flask(env, "seed-scale", "--students", str(args.students)).strip())
    # A database seeded before keeps its size, whatever --students asks.
    seeded = placements_in(args.database_url)
    tune_postgres(args.database_url)
    rng = random.Random(12)
    load = os.getloadavg()
    print(f"Machine: {os.cpu_count()} cores, load average before the run {load[0]:.1f}")
    with gunicorn("load_server:make_bare_app()", env, args.workers) as (bare, _):
        bare_clients = [Session(bare) for _ in range(CLOSED_CALLERS)]
        bare_rps = closed_loop(lambda i: bare_clients[i].get("/").status_code == 200, args.closed)
    with gunicorn("load_server:make_counted_app()", env, args.workers) as (base, master):
        clients = login_all(base, students=min(args.users, seeded))
        cpu_before, server_before = time.process_time(), server_cpu(master)
        results = open_loop(clients, args.rate, args.duration, rng)
        server_after = server_cpu(master)
        elapsed = results.pop("_elapsed")
        answered = print_open_loop(results, elapsed)
        server_ms = print_server_cpu(server_before, server_after, elapsed, answered)
        # The generator shares the machine's cores with the server: say how much it took.
        print(f"load generator CPU: {(time.process_time() - cpu_before) / elapsed:.2f} cores")
        print(
            f"\nClosed loop, {args.closed:.0f} s each, {CLOSED_CALLERS} callers; "
            f"bare Flask: {bare_rps:.0f} req/s"
        )
        # The floor: a signed-in request of the app that does nothing of its own.
        floor = ("signed-in floor", 0, ("student", signed_in_floor))
        shares = {}
        for name, _, (role, action) in [floor, *MIX]:
            # One client per caller: a client sends one request at a time (see login_all).
            callers = [clients[role][i % len(clients[role])] for i in range(CLOSED_CALLERS)]
            rps = closed_loop(lambda i, a=action, c=callers: c[i].run(a)[0], args.closed)
            shares[name] = rps / bare_rps
            print(f"{name:<24}{rps:>8.0f} req/s  {shares[name]:>6.0%} of bare Flask")
        rss = worker_rss_mb(master)
        print(f"\nWorker memory (RSS): {', '.join(f'{mb:.0f} MB' for mb in rss)}")
    print(f"Load average after the run: {os.getloadavg()[0]:.1f}")
    run = Run(
        rate=args.rate,
        seconds=args.duration,
        students=seeded,
        errors=sum(r["errors"] for r in results.values()),
        p95_ms={name: percentile(r["ms"], 95) for name, r in results.items() if r["ms"]},
        share_of_bare=shares,
        worker_mb=rss,
        server_ms_a_request=server_ms,
        cores=os.cpu_count() or 1,
    )
    lines, all_met = report(run)
    print("\n".join(lines))
    return 1 if args.check and not all_met else 0


if __name__ == "__main__":
    sys.exit(main())
