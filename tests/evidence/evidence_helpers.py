"""Helpers for the evidence tests: clients for the local service, a hostile name, PNG decoding."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config
from png_pixels import read_png_bytes

REGION = "us-east-1"
HOSTILE = "<img src=x onerror=alert(1)>"
HOSTILE_SCRIPT = "</script><script>alert(2)</script><!--"


def plain_client(url: str, region: str = REGION) -> Any:
    """An unguarded boto3 client (for setting up data), no retries."""
    return boto3.client(
        "sagemaker",
        endpoint_url=url,
        region_name=region,
        aws_access_key_id="x",
        aws_secret_access_key="y",
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}),
    )


def without_metadata(response: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


def decode_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit RGB/RGBA non-interlaced PNG into (width, height, rows of RGB pixels)."""
    width, height, channels, rows = read_png_bytes(data)
    assert channels in (3, 4), channels
    if channels == 3:
        return width, height, rows
    return width, height, [b"".join(r[i : i + 3] for i in range(0, len(r), 4)) for r in rows]


def non_background_fraction(data: bytes, background: bytes = b"\xff\xff\xff") -> float:
    """Share of pixels that differ from the background colour."""
    width, height, rows = decode_png(data)
    other = sum(1 for row in rows for i in range(0, len(row), 3) if row[i : i + 3] != background)
    return other / max(1, width * height)


@dataclass
class Source:
    """The local service standing in for AWS: demo graph plus a few API-created entities."""

    service: Any
    store: Any
    summary: Any
    extra_artifact: str
