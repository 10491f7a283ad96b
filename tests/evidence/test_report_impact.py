"""`lineage-viz report --impact`: the impact list in impact.csv and report.html, equal to an
independent walk over ListAssociations (tests/reference_walk.py)."""

from __future__ import annotations

import csv
import re
from html import unescape
from pathlib import Path

import pytest
from evidence_helpers import Source, plain_client
from reference_walk import impact

from viz_app.cli import main


def impact_rows(out: Path) -> list[dict[str, str]]:
    with (out / "impact.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def html_impact_arns(out: Path) -> list[str]:
    page = (out / "report.html").read_text(encoding="utf-8")
    table = re.search(r'<table id="lv-impact">(.*?)</table>', page, re.S)
    assert table, "report.html has no impact table"
    return [unescape(a) for a in re.findall(r"<td>(arn:aws:sagemaker:[^<]*)</td></tr>", table[1])]


def run(source: Source, out: Path, arn: str, *extra: str) -> int:
    argv = ["report", "--endpoint-url", source.service.url, "--out", str(out), "--no-png"]
    return main([*argv, "--arn", arn, *extra])


@pytest.fixture(scope="module")
def image_arn(source: Source) -> str:
    client = plain_client(source.service.url)
    uri = source.summary.shared_image_uri
    (image,) = client.list_artifacts(SourceUri=uri)["ArtifactSummaries"]
    return str(image["ArtifactArn"])


def test_the_shared_images_impact_is_every_model_package_and_endpoint_it_reaches(
    source: Source, image_arn: str, tmp_path: Path
) -> None:
    assert run(source, tmp_path, image_arn, "--impact") == 0
    rows = impact_rows(tmp_path)
    expected = impact(plain_client(source.service.url), image_arn, downstream=True)
    assert {r["arn"]: (r["kind"], int(r["hops"])) for r in rows} == expected
    endpoints = {a for a, (k, _) in expected.items() if k == "endpoint"}
    assert len(endpoints) >= 2, "the shared image should reach endpoints of two projects"
    assert html_impact_arns(tmp_path) == [r["arn"] for r in rows]
    for row in rows:  # names, never hashes; paths from the image to the row, by name
        assert row["name"] and not row["name"].startswith("arn:")
        assert not re.search(r"[0-9a-f]{32}", row["name"] + row["path"])
        steps = row["path"].split(" → ")
        assert len(steps) == int(row["hops"]) + 1 and steps[-1] == row["name"]
        assert row["created_utc"].startswith("20")


def test_an_endpoints_upstream_list_is_every_dataset_image_and_job_behind_it(
    source: Source, tmp_path: Path
) -> None:
    endpoint = source.summary.endpoint_context_arns[0]
    assert run(source, tmp_path, endpoint, "--impact", "upstream") == 0
    rows = impact_rows(tmp_path)
    expected = impact(plain_client(source.service.url), endpoint, downstream=False)
    assert {r["arn"]: (r["kind"], int(r["hops"])) for r in rows} == expected
    assert {"dataset", "image", "training job"} <= {k for k, _ in expected.values()}


def test_impact_with_the_opposite_direction_is_refused_in_one_sentence(
    source: Source, image_arn: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(source, tmp_path, image_arn, "--impact", "--direction", "Ascendants") == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: --impact downstream walks Descendants")
    assert not (tmp_path / "impact.csv").exists()
