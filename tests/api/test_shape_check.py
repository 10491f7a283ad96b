"""The response checker itself: it must flag what botocore would silently accept."""

from __future__ import annotations

import datetime as dt

from shape_check import error_problems, shape_problems

VERTEX = {"Arn": "arn:aws:sagemaker:us-east-1:123456789012:artifact/" + "a" * 32}


def test_shape_check_accepts_a_conforming_query_lineage_body() -> None:
    body = {"Vertices": [{**VERTEX, "Type": "DataSet", "LineageType": "Artifact"}], "Edges": []}
    assert shape_problems("QueryLineage", body, wire=True) == []


def test_shape_check_flags_unknown_members_bad_enums_and_long_strings() -> None:
    body = {
        "Vertices": [{**VERTEX, "Type": "T" * 41, "LineageType": "Experiment", "Extra": 1}],
        "Edges": [{"SourceArn": 5}],
    }
    problems = "\n".join(shape_problems("QueryLineage", body, wire=True))
    assert "Extra: unknown member" in problems
    assert "'Experiment' is not one of" in problems
    assert "length 41 > max 40" in problems
    assert "SourceArn: expected string" in problems


def test_shape_check_flags_missing_required_members_and_bad_timestamps() -> None:
    summary = {"CreationTime": "not-parsed"}
    problems = "\n".join(
        shape_problems("ListArtifacts", {"ArtifactSummaries": [summary]}, wire=False)
    )
    assert "bad timestamp" in problems
    ok = {"ArtifactSummaries": [{"CreationTime": dt.datetime.now(dt.UTC)}]}
    assert shape_problems("ListArtifacts", ok, wire=False) == []
    (missing,) = shape_problems("ListTags", {"Tags": [{"Value": "v"}]}, wire=True)
    assert "Key: required member of Tag missing" in missing


def test_error_check_requires_type_and_message_and_a_4xx() -> None:
    good = b'{"__type": "ValidationException", "message": "bad"}'
    assert error_problems(400, {}, good) == []
    assert error_problems(500, {}, b'{"__type": "InternalFailure", "message": "x"}')
    assert error_problems(400, {}, b"<html>Traceback</html>")
    assert error_problems(404, {}, b'{"__type": "ResourceNotFound", "message": "x"}')
