"""`lineage-viz service --read-only` and `--allowed-host`, as a process, over real HTTP."""

from __future__ import annotations

import signal
from pathlib import Path

import boto3
import pytest
import service_process
from botocore.exceptions import ClientError
from reliability_helpers import HANG_GUARD_SECONDS, default_headers, post


def test_read_only_and_an_allowed_proxy_name(tmp_path: Path) -> None:
    running = service_process.start(
        "--port", "0", "--db", str(tmp_path / "r.db"), "--demo", "--read-only",
        "--allowed-host", "lineage.internal",
    )  # fmt: skip
    try:
        assert running.url, running.stderr_text()
        client = boto3.client(
            "sagemaker",
            endpoint_url=running.url,
            region_name="us-east-1",
            aws_access_key_id="local",
            aws_secret_access_key="local",
        )
        contexts = client.list_contexts()["ContextSummaries"]
        with pytest.raises(ClientError) as caught:
            client.delete_context(ContextName=contexts[0]["ContextName"])
        assert caught.value.response["Error"]["Code"] == "AccessDeniedException"
        assert client.list_contexts()["ContextSummaries"] == contexts
        headers = default_headers("ListContexts")
        proxied = post(running.url, None, b"{}", {**headers, "Host": "lineage.internal"})
        assert proxied.status == 200
        other = post(running.url, None, b"{}", {**headers, "Host": "other.internal"})
        assert other.status == 403
    finally:
        running.proc.send_signal(signal.SIGTERM)
        running.proc.wait(timeout=HANG_GUARD_SECONDS)
