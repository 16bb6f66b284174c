"""The targets the load benchmark checks (issue #12), against the figures of one run.

The targets hold for one setting: 200 requests/s of the mix for 60 s on 15,000 students, on a
server of 2 cores. A run with other settings is still checked (the same limits), but says that
its verdict does not speak for the targets' setting. Queries per page that do not grow with the
number of students are checked by the tests at two sizes (tests/test_list_query_counts.py,
tests/test_request_query_counts.py), not here: one run sees one size.
"""

from __future__ import annotations

from dataclasses import dataclass

# The setting the targets were set for.
TARGET_RATE = 200
TARGET_SECONDS = 60
TARGET_STUDENTS = 15_000
TARGET_CORES = 2

STUDENT_PAGES = ("student home", "step page", "today's reflection", "autosave POST")
COORDINATOR_PAGES = ("coordinator list", "coordinator home")
P95_LIMIT_MS = {
    **dict.fromkeys(STUDENT_PAGES, 50),
    "supervisor overview": 100,
    **dict.fromkeys(COORDINATOR_PAGES, 300),
}
AUTOSAVE_SHARE_OF_BARE = 0.30
WORKER_MEMORY_MB = 200


@dataclass(frozen=True)
class Run:
    """What one run of benchmarks/load.py measured."""

    rate: float
    seconds: float
    students: int
    errors: int
    p95_ms: dict[str, float]  # per endpoint of the open loop
    share_of_bare: dict[str, float]  # closed-loop throughput per endpoint / bare Flask's
    worker_mb: list[float]
    server_ms_a_request: float  # CPU of the workers and the database per answered request
    cores: int


@dataclass(frozen=True)
class Verdict:
    target: str
    measured: str
    limit: str
    met: bool


def check(run: Run) -> list[Verdict]:
    """One verdict per target the run measured."""
    verdicts = [Verdict("errors", str(run.errors), "0", run.errors == 0)]
    for name, limit in P95_LIMIT_MS.items():
        if name in run.p95_ms:
            p95 = run.p95_ms[name]
            verdicts.append(Verdict(f"p95 {name}", f"{p95:.0f} ms", f"≤ {limit} ms", p95 <= limit))
    if "autosave POST" in run.share_of_bare:
        share = run.share_of_bare["autosave POST"]
        verdicts.append(
            Verdict(
                "autosave, closed loop",
                f"{share:.0%} of bare Flask",
                f"≥ {AUTOSAVE_SHARE_OF_BARE:.0%}",
                share >= AUTOSAVE_SHARE_OF_BARE,
            )
        )
    if run.worker_mb:
        largest = max(run.worker_mb)
        verdicts.append(
            Verdict(
                "worker memory (largest)",
                f"{largest:.0f} MB",
                f"< {WORKER_MEMORY_MB} MB",
                largest < WORKER_MEMORY_MB,
            )
        )
    return verdicts


def cores_needed(run: Run, rate: float = TARGET_RATE) -> float:
    """The server's cores `rate` requests/s of the mix take at this host's speed: the CPU each
    request cost in this run (workers and database), times the rate. Above about 0.7 of the
    cores, requests queue and the p95 grows far beyond a request's own time."""
    return run.server_ms_a_request * rate / 1000


def in_target_setting(run: Run) -> bool:
    return (
        run.rate >= TARGET_RATE
        and run.seconds >= TARGET_SECONDS
        and run.students >= TARGET_STUDENTS
        and run.cores == TARGET_CORES
    )


def report(run: Run) -> tuple[list[str], bool]:
    """The lines to print, and whether every target was met."""
    verdicts = check(run)
    lines = [
        f"\nTargets ({TARGET_RATE} req/s for {TARGET_SECONDS} s, {TARGET_STUDENTS:,} students, "
        f"{TARGET_CORES} cores):"
    ]
    for v in verdicts:
        lines.append(
            f"  {v.target:<28}{v.measured:>22}  {v.limit:<12}{'met' if v.met else 'MISSED'}"
        )
    lines.append(
        f"  {'server CPU at ' + str(TARGET_RATE) + ' req/s':<28}"
        f"{cores_needed(run):>16.2f} cores  of {run.cores} here"
    )
    if not in_target_setting(run):
        lines.append(
            f"  (this run: {run.rate:g} req/s for {run.seconds:g} s, {run.students:,} students, "
            f"{run.cores} cores: its verdicts do not speak for the targets' setting)"
        )
    return lines, all(v.met for v in verdicts)
