"""The big fuzz run: thousands of shape-driven requests against a local service over raw HTTP.

Usage: python bench/fuzz.py [--examples N] [--seed S]
Prints a table of cases per kind and outcome, and the distinct problems found (5xx, hangs,
tracebacks, bodies off the output shape, broken store invariants); writes bench/results-fuzz.json.
Loopback only. Exit status 1 when any problem was found.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "tests" / "reliability"), str(HERE.parent)]

from file_service import seed_pool  # noqa: E402
from fuzz_strategies import Case, broken_frame, invalid_request, valid_request  # noqa: E402
from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from reliability_helpers import (  # noqa: E402
    KNOWN_ERROR_CODES,
    STATE_ERROR_CODES,
    http_agreement_problems,
    post,
    reply_problems,
    send_raw,
    sql_problems,
)

from viz_app.api.server import start_service  # noqa: E402
from viz_app.core.store import Store  # noqa: E402


def outcome(status: int, body: bytes) -> str:
    if status == 0:
        return "no answer"
    if status == 200:
        return "200"
    try:
        return f"{status} {json.loads(body).get('__type')}"
    except (ValueError, AttributeError):
        return f"{status} (not JSON)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=1500, help="batches per family")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    logging.getLogger("viz_app.api").setLevel(logging.CRITICAL)

    workdir = tempfile.mkdtemp(prefix="lineage-fuzz-")
    db_path = os.path.join(workdir, "fuzz.db")
    store = Store(db_path)
    service = start_service(store)
    pool = seed_pool(service.url)
    table: Counter[tuple[str, str]] = Counter()
    problems: Counter[str] = Counter()
    examples: dict[str, str] = {}
    batches = Counter[str]()

    def send(case: Case) -> None:
        if case.raw_head is not None:
            reply = send_raw(service.url, case.raw_head, case.body)
        else:
            reply = post(service.url, case.operation, case.body, case.headers)
        allowed = STATE_ERROR_CODES if case.kind == "valid" else KNOWN_ERROR_CODES
        table[(case.kind, outcome(reply.status, reply.body))] += 1
        for problem in reply_problems(
            case.operation, reply, must_fail=case.must_fail, allowed_codes=allowed
        ):
            key = f"[{case.kind}] {case.operation}: {problem.split(':')[0][:120]}"
            problems[key] += 1
            examples.setdefault(key, f"{problem[:300]} <- {case.body[:300]!r}")

    def check_store(family: str) -> None:
        batches[family] += 1
        for problem in sql_problems(db_path) + _safe_agreement(service.url, db_path):
            key = f"[invariant] {problem[:160]}"
            problems[key] += 1
            examples.setdefault(key, problem[:600])

    families = {
        "valid": st.lists(valid_request(pool), min_size=1, max_size=6),
        "invalid": st.lists(invalid_request(pool), min_size=1, max_size=4),
        "framing": st.lists(broken_frame(pool), min_size=1, max_size=4),
    }
    current = [""]
    for family, strategy in families.items():
        current[0] = family

        @seed(args.seed)
        @settings(
            max_examples=args.examples,
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(strategy)
        def run(cases: list[Case]) -> None:
            for case in cases:
                send(case)
            check_store(current[0])

        run()
        print(f"{family}: {batches[family]} batches done", file=sys.stderr, flush=True)

    service.close()
    store.close()
    total = sum(table.values())
    print(f"\n{'kind':<26} {'outcome':<40} {'cases':>7}")
    for (kind, result), count in sorted(table.items()):
        print(f"{kind:<26} {result:<40} {count:>7}")
    print(f"\ncases fuzzed: {total} in {sum(batches.values())} batches (store checked after each)")
    print(f"internal failures counted by the service: {service.internal_failures}")
    print(f"distinct problems: {len(problems)}")
    for key, count in problems.most_common():
        print(f"  {count:>6}  {key}\n          e.g. {examples[key][:400]}")
    results: dict[str, Any] = {
        "cases": total,
        "batches": dict(batches),
        "internal_failures": service.internal_failures,
        "outcomes": [{"kind": k, "outcome": o, "cases": n} for (k, o), n in sorted(table.items())],
        "problems": [
            {"problem": k, "count": n, "example": examples[k]} for k, n in problems.items()
        ],
    }
    (HERE / "results-fuzz.json").write_text(json.dumps(results, indent=2) + "\n")
    return 1 if problems or service.internal_failures else 0


def _safe_agreement(url: str, db_path: str) -> list[str]:
    try:
        return http_agreement_problems(url, db_path)
    except AssertionError as err:  # a failed request while checking is itself a finding
        return [str(err)]


if __name__ == "__main__":
    sys.exit(main())
