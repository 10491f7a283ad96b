"""kill -9 the service in the middle of a bulk load, restart it on the same store, and check that
every acknowledged write survived and nothing half-written did."""

from __future__ import annotations

import json
import os
import signal
import threading
from pathlib import Path

import pytest
import service_process
from reliability_helpers import (
    http_agreement_problems,
    open_readonly,
    post,
    reply_problems,
    sql_problems,
)

CYCLES = 3
WRITERS = 4
#: Acknowledged writes per cycle before the kill (bounded; the kill lands mid-load).
WRITES_BEFORE_KILL = (40, 75, 110)


class BulkLoad:
    """Writers creating artifacts and contexts and associating them; every ack is recorded."""

    def __init__(self, url: str, cycle: int) -> None:
        self.url = url
        self.cycle = cycle
        self.lock = threading.Lock()
        self.entities: list[str] = []
        self.associations: list[tuple[str, str]] = []
        self.acks = 0
        self.enough = threading.Event()
        self.errors: list[str] = []

    def _ack(self) -> None:
        with self.lock:
            self.acks += 1
            if self.acks >= WRITES_BEFORE_KILL[self.cycle % len(WRITES_BEFORE_KILL)]:
                self.enough.set()

    def writer(self, index: int) -> None:
        for i in range(10_000):  # bounded; the process is killed long before
            name = f"c{self.cycle}-w{index}-{i}"
            ctx = post(
                self.url,
                "CreateContext",
                {"ContextName": name, "ContextType": "Load", "Source": {"SourceUri": "s3://l"}},
            )
            if ctx.status != 200:
                break  # the service died under us: that request was not acknowledged
            context_arn = ctx_json(ctx.body, "ContextArn")
            with self.lock:
                self.entities.append(context_arn)
            self._ack()
            art = post(
                self.url,
                "CreateArtifact",
                {
                    "Source": {"SourceUri": f"s3://load/{name}"},
                    "ArtifactType": "DataSet",
                    "Tags": [{"Key": "cycle", "Value": str(self.cycle)}],
                },
            )
            if art.status != 200:
                break
            artifact_arn = ctx_json(art.body, "ArtifactArn")
            with self.lock:
                self.entities.append(artifact_arn)
            self._ack()
            assoc = post(
                self.url,
                "AddAssociation",
                {"SourceArn": artifact_arn, "DestinationArn": context_arn},
            )
            if assoc.status != 200:
                break
            with self.lock:
                self.associations.append((artifact_arn, context_arn))
            self._ack()


def ctx_json(body: bytes, member: str) -> str:
    return str(json.loads(body)[member])


@pytest.mark.timeout(240)
def test_the_store_keeps_every_acknowledged_write_across_kill_9_restarts(tmp_path: Path) -> None:
    db = str(tmp_path / "crash.db")
    acknowledged_entities: set[str] = set()
    acknowledged_pairs: set[tuple[str, str]] = set()
    survived = 0
    for cycle in range(CYCLES):
        running = service_process.start("--port", "0", "--db", db)
        assert running.url.startswith("http://127.0.0.1:"), running.stderr_text()
        # it opened the store the last cycle killed, and everything acknowledged is there
        problems = check_store(running.url, db, acknowledged_entities, acknowledged_pairs)
        assert not problems, f"cycle {cycle}:\n" + "\n".join(problems)
        load = BulkLoad(running.url, cycle)
        writers = [
            threading.Thread(target=load.writer, args=(i,), daemon=True) for i in range(WRITERS)
        ]
        for thread in writers:
            thread.start()
        assert load.enough.wait(120), "the bulk load stalled"  # hang guard only
        os.kill(running.proc.pid, signal.SIGKILL)
        running.proc.wait(timeout=30)
        for thread in writers:
            thread.join(timeout=60)
        assert "Traceback" not in running.stderr_text(), running.stderr_text()
        with load.lock:
            acknowledged_entities.update(load.entities)
            acknowledged_pairs.update(load.associations)
        survived += 1
    final = service_process.start("--port", "0", "--db", db)
    try:
        problems = check_store(final.url, db, acknowledged_entities, acknowledged_pairs)
        assert not problems, "after the last kill:\n" + "\n".join(problems)
        # and it keeps serving writes
        reply = post(
            final.url,
            "CreateArtifact",
            {"Source": {"SourceUri": "s3://after/crashes"}, "ArtifactType": "DataSet"},
        )
        assert reply.status == 200 and not reply_problems("CreateArtifact", reply), reply
    finally:
        final.proc.send_signal(signal.SIGTERM)
        final.proc.wait(timeout=30)
    print(
        f"\ncrash safety: {survived} kill -9 cycles survived, {len(acknowledged_entities)} entities"
        f" and {len(acknowledged_pairs)} associations acknowledged, 0 lost"
    )
    assert survived == CYCLES


def check_store(url: str, db: str, entities: set[str], pairs: set[tuple[str, str]]) -> list[str]:
    problems = sql_problems(db)  # integrity_check, no dangling association, no duplicates
    conn = open_readonly(db)
    try:
        stored = {arn for (arn,) in conn.execute("SELECT arn FROM entities")}
        stored_pairs = set(conn.execute("SELECT source_arn, destination_arn FROM associations"))
    finally:
        conn.close()
    if lost := entities - stored:
        problems.append(f"{len(lost)} acknowledged entities lost: {sorted(lost)[:3]}")
    if lost_pairs := pairs - {tuple(p) for p in stored_pairs}:
        problems.append(
            f"{len(lost_pairs)} acknowledged associations lost: {sorted(lost_pairs)[:3]}"
        )
    problems += http_agreement_problems(url, db)
    return problems
