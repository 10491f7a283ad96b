"""Extra records for browser tests: a wide fan-out for group nodes, and hostile text."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Final

from viz_app.core.demo_shapes import LineageBuilder
from viz_app.core.model import DEFAULT_ACCOUNT_ID, DEFAULT_REGION
from viz_app.core.store import Store

FAN_OUT: Final = 30
PWN: Final = "window.__pwned=1"
IMG: Final = f"<img src=x onerror={PWN}>"
SCRIPT: Final = f"<script>{PWN}</script>"
JS_URI: Final = f"javascript:{PWN}"
RTL: Final = "مرحبا بالعالم \u202eevil.exe\u202c שלום"
LONG: Final = "L" * 1000 + "-" + "M" * 1500  # 2,501 characters
PAYLOADS: Final = (IMG, SCRIPT, JS_URI, RTL)


@dataclass(frozen=True)
class ExtraArns:
    """Starts for the tests that need these records."""

    fan_out_hub: str
    fan_out_members: tuple[str, ...]
    hostile_start: str
    hostile_artifact: str
    hostile_context: str


def add_extras(store: Store) -> ExtraArns:
    """Write a hub with FAN_OUT datasets, and a small graph whose text is all payloads."""
    b = LineageBuilder(random.Random(7), DEFAULT_REGION, DEFAULT_ACCOUNT_ID, 1.77e9)
    hub = b.context("fan-out-hub", "Endpoint", "arn:aws:sagemaker:::endpoint/hub", "Endpoint", "")
    members = tuple(b.dataset(f"s3://fan-out/part-{i:03d}.csv") for i in range(FAN_OUT))
    for member in members:
        b.associate(member, hub)
    start = b.context(
        "hostile-start",
        "Endpoint",
        JS_URI,
        "Endpoint",
        f"{SCRIPT} {LONG}",
        properties={"link": JS_URI, SCRIPT: IMG, "rtl": RTL},
    )
    artifact = b.artifact(
        f"s3://hostile-bucket/{IMG}/data.csv",
        "DataSet",
        properties={"homepage": JS_URI, "note": SCRIPT, "long": LONG, "rtl": RTL},
    )
    b.entities[-1].doc["ArtifactName"] = IMG
    context = b.context(f"ctx{IMG}", "ModelGroup", JS_URI, "ModelGroup", RTL)
    b.associate(artifact, start)
    b.associate(context, start)
    b.tag(artifact, f"<b>{IMG}</b>", SCRIPT)
    b.tag(artifact, "rtl", RTL)
    b.tag(start, "link", JS_URI)
    b.flush(store)
    return ExtraArns(hub, members, start, artifact, context)
