"""Count the CPU instructions of an average request of the load mix, in-process, under valgrind.

    DATABASE_URL=... .venv/bin/python benchmarks/instructions.py [--units 3] [--only NAME]

On a shared or virtual machine the time a request takes drifts by a third within minutes, so
two versions of the code cannot be told apart by timing them unless they differ a lot. The
number of instructions the app's process executes hardly drifts: this runs the mix of
benchmarks/load_mix.py (its weights, 100 requests a unit; the coordinator list in turn in its
four views, as the load benchmark sends it) in-process once with one unit and once with
1 + --units units under valgrind's cachegrind (counting only), and prints the difference per
request. The first unit's warm-up (imports, first renders, the pool's first connections)
cancels out. PostgreSQL's own work is not counted: it runs in its own processes (see the load
benchmark's server CPU line). `--only NAME` counts one request of the mix (20 a unit);
`--run N` runs N units in this process without valgrind, which is what valgrind runs.
Run it from each checkout in turn on one seeded database (see benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

# Run as a script, sys.path[0] is benchmarks/: put the checkout first (see profile_page.py).
sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parent.parent)]
from load_mix import DOMAIN, MIX  # noqa: E402

ONLY_PER_UNIT = 20
KEEP_FOR_THE_RUN = 24 * 3600
COORDINATOR_VIEWS = ("coordinator list", "  filter=ontbrekend", "  sort=-reflecties", "  q=lotte")
INSTRUCTIONS = re.compile(r"I\s+refs:\s+([\d,]+)")


def weighted_units(units: int, only: str | None) -> int:
    """Send `units` units of the mix in this process; return the number of requests sent."""
    from inprocess import mix_requests

    # Under valgrind the app runs about 50 times slower: the dashboard's figures and the
    # coordinator list's orders, kept for a minute and 30 s, would be computed again far more
    # often than under real load. Kept for the whole run, they are computed in the first unit.
    requests = mix_requests(
        f"student00007@{DOMAIN}",
        f"begeleider0001@{DOMAIN}",
        DASHBOARD_CACHE_SECONDS=KEEP_FOR_THE_RUN,
        OVERVIEW_ORDER_SECONDS=KEEP_FOR_THE_RUN,
    )
    requests["login"] = requests["sign-in"]
    views = itertools.cycle(COORDINATOR_VIEWS)
    requests["coordinator list"] = lambda: requests[next(views)]()
    weights = [(name, weight) for name, weight, _ in MIX]
    if only:
        weights = [(only, ONLY_PER_UNIT)]
    sent = 0
    for _ in range(units):
        for name, weight in weights:
            for _ in range(weight):
                answer = requests[name]()
                assert answer.status_code < 400, (name, answer.status_code)
                sent += 1
    return sent


def count_instructions(units: int, only: str | None) -> int:
    """Instructions executed by a process that runs `units` units under cachegrind."""
    command = [
        "valgrind",
        "--tool=cachegrind",
        "--cache-sim=no",
        "--cachegrind-out-file=/dev/null",
        sys.executable,
        __file__,
        "--run",
        str(units),
    ]
    if only:
        command += ["--only", only]
    # Python's own allocator hides its memory from valgrind; the system's does not.
    env = {**os.environ, "PYTHONMALLOC": "malloc"}
    result = subprocess.run(  # noqa: S603 - valgrind and this script, fixed arguments
        command, env=env, capture_output=True, text=True, timeout=3600, check=False
    )
    found = INSTRUCTIONS.search(result.stderr)
    if result.returncode != 0 or not found:
        raise SystemExit(f"valgrind failed:\n{result.stderr[-3000:]}")
    return int(found.group(1).replace(",", ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=3, help="units counted after the first")
    parser.add_argument("--only", choices=[name for name, _, _ in MIX], help="one request")
    parser.add_argument("--run", type=int, help="run this many units here, without valgrind")
    args = parser.parse_args()
    if args.run is not None:
        print(f"sent {weighted_units(args.run, args.only)} requests")
        return 0
    if not shutil.which("valgrind"):
        parser.error("valgrind is not installed (apt-get install valgrind)")
    first = count_instructions(1, args.only)
    more = count_instructions(1 + args.units, args.only)
    per_unit = 100 if not args.only else ONLY_PER_UNIT
    per_request = (more - first) / (args.units * per_unit)
    print(f"{args.only or 'the mix'}: {per_request / 1e6:.2f} million instructions a request")
    return 0


if __name__ == "__main__":
    sys.exit(main())
