"""Property-based fuzzing of the local service over raw HTTP, checking the store after each batch.

Every answer must be a 200 matching botocore's output shape or a 4xx JSON error with a known
code: never a 5xx, a hang or a traceback. After every batch the SQLite file and the HTTP view of
it must agree (see reliability_helpers). Thousands more cases: `python bench/fuzz.py`.
"""

from __future__ import annotations

import http.client
import json

from file_service import FileService
from fuzz_strategies import Case, Pool, broken_frame, invalid_request, valid_request
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from reliability_helpers import (
    HANG_GUARD_SECONDS,
    KNOWN_ERROR_CODES,
    STATE_ERROR_CODES,
    Reply,
    call,
    default_headers,
    http_agreement_problems,
    post,
    reply_problems,
    send_raw,
    sql_problems,
)


def fuzz_settings(max_examples: int, derandomize: bool = False) -> settings:
    """One service across examples, so state accumulates and reaches deep paths. That state makes
    shrinking meaningless (and slow): failures are reported as generated. No deadline (shared
    machine), no example database."""
    return settings(
        max_examples=max_examples,
        phases=[Phase.explicit, Phase.generate],
        deadline=None,
        database=None,
        derandomize=derandomize,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def send_case(url: str, case: Case) -> list[str]:
    """Send one case and describe everything wrong with the answer."""
    if case.raw_head is not None:
        reply = send_raw(url, case.raw_head, case.body)
    else:
        reply = post(url, case.operation, case.body, case.headers)
    allowed = STATE_ERROR_CODES if case.kind == "valid" else KNOWN_ERROR_CODES
    problems = reply_problems(
        case.operation, reply, must_fail=case.must_fail, allowed_codes=allowed
    )
    return [
        f"[{case.kind}] {case.operation}: {problem}\n    request: {case.body[:300]!r}"
        f"\n    answer: {reply.status} {reply.body[:300]!r}"
        for problem in problems
    ]


def run_batch(running: FileService, cases: list[Case]) -> list[str]:
    """Send a batch, then check the store's invariants directly and over HTTP."""
    problems: list[str] = []
    for case in cases:
        problems += send_case(running.url, case)
    problems += sql_problems(running.db_path)
    problems += http_agreement_problems(running.url, running.db_path)
    problems += [f"InternalFailure logged: {f}" for f in running.logged_failures()]
    return problems


def test_valid_requests_for_every_operation_get_shaped_answers_and_keep_the_store_whole(
    seeded: tuple[FileService, Pool],
) -> None:
    running, pool = seeded

    @fuzz_settings(80)
    @given(st.lists(valid_request(pool), min_size=1, max_size=6))
    def batch(cases: list[Case]) -> None:
        problems = run_batch(running, cases)
        assert not problems, "\n".join(problems)

    batch()


def test_invalid_requests_are_refused_with_modelled_4xx_errors_never_5xx(
    seeded: tuple[FileService, Pool],
) -> None:
    running, pool = seeded

    @fuzz_settings(100)
    @given(st.lists(invalid_request(pool), min_size=1, max_size=4))
    def batch(cases: list[Case]) -> None:
        problems = run_batch(running, cases)
        assert not problems, "\n".join(problems)

    batch()


def test_broken_headers_and_framing_get_json_4xx_answers_without_hanging(
    seeded: tuple[FileService, Pool],
) -> None:
    running, pool = seeded

    @fuzz_settings(50)
    @given(st.lists(broken_frame(pool), min_size=1, max_size=4))
    def batch(cases: list[Case]) -> None:
        problems = run_batch(running, cases)
        assert not problems, "\n".join(problems)

    batch()


def test_mixed_valid_and_invalid_traffic_leaves_no_half_written_state(
    seeded: tuple[FileService, Pool],
) -> None:
    running, pool = seeded
    any_case = st.one_of(valid_request(pool), valid_request(pool), invalid_request(pool))

    @fuzz_settings(40)
    @given(st.lists(any_case, min_size=2, max_size=8))
    def batch(cases: list[Case]) -> None:
        problems = run_batch(running, cases)
        assert not problems, "\n".join(problems)

    batch()


def test_the_fuzzer_reaches_existing_entities_and_gets_successes(
    seeded: tuple[FileService, Pool],
) -> None:
    """Guard against a fuzzer that only ever hits ResourceNotFound: deep paths must be reached."""
    running, pool = seeded
    statuses: dict[str, list[int]] = {}

    # A fixed seed and 200 requests: how many operations 60 random ones reached varied (a
    # random run failed now and then with 7 of the 8 wanted), and this is a guard, not a fuzz.
    @fuzz_settings(200, derandomize=True)
    @given(valid_request(pool))
    def one(case: Case) -> None:
        reply = post(running.url, case.operation, case.body)
        assert not reply_problems(case.operation, reply, allowed_codes=STATE_ERROR_CODES)
        statuses.setdefault(str(case.operation), []).append(reply.status)

    one()
    succeeded = {op for op, codes in statuses.items() if 200 in codes}
    assert len(succeeded) >= 8, statuses
    assert any(op.startswith(("Describe", "Update", "Delete")) for op in succeeded), statuses


# -- what the fuzzer found, pinned as plain tests (each fails until the server is fixed) ---------


def _answer_problems(running: FileService, operation: str, body: bytes) -> list[str]:
    reply = post(running.url, operation, body)
    return reply_problems(operation, reply) + running.logged_failures()


def test_a_timestamp_too_large_for_a_float_is_a_validation_error_not_an_internal_failure(
    file_service: FileService,
) -> None:
    body = b'{"CreatedAfter": 1' + b"0" * 400 + b"}"
    for operation in ("ListArtifacts", "ListAssociations", "ListTrialComponents"):
        assert not _answer_problems(file_service, operation, body), operation


def test_list_tags_with_a_max_results_beyond_sqlite_integers_is_not_an_internal_failure(
    file_service: FileService,
) -> None:
    arn = "arn:aws:sagemaker:us-east-1:123456789012:training-job/t"
    body = json.dumps({"ResourceArn": arn, "MaxResults": 10**30}).encode()
    assert not _answer_problems(file_service, "ListTags", body)


def test_a_lone_surrogate_in_a_stored_string_is_refused_not_an_internal_failure(
    file_service: FileService,
) -> None:
    body = b'{"Source": {"SourceUri": "s3://bucket/\\ud800"}, "ArtifactType": "DataSet"}'
    assert not _answer_problems(file_service, "CreateArtifact", body)


def test_a_lone_surrogate_in_a_validated_member_still_gets_an_answer(
    file_service: FileService,
) -> None:
    """Today the error message echoes the value, encoding it fails, and the connection drops."""
    body = b'{"ArtifactArn": "\\ud800"}'
    assert not _answer_problems(file_service, "DescribeArtifact", body)


def test_a_number_parameter_of_1e400_never_comes_back_as_non_standard_json(
    file_service: FileService,
) -> None:
    create = b'{"TrialComponentName": "tc", "Parameters": {"p": {"NumberValue": 1e400}}}'
    created = post(file_service.url, "CreateTrialComponent", create)
    if created.status == 200:  # accepted: then Describe must still answer standard JSON
        described = b'{"TrialComponentName": "tc"}'
        assert not _answer_problems(file_service, "DescribeTrialComponent", described)
    else:
        assert not reply_problems("CreateTrialComponent", created)


def test_query_lineage_vertex_types_fit_the_40_character_output_shape(
    file_service: FileService,
) -> None:
    """ContextType allows 256 characters; QueryLineage's Vertex.Type allows 40 (String40)."""
    call(
        file_service.url,
        "CreateContext",
        {"ContextName": "long-type", "ContextType": "T" * 41, "Source": {"SourceUri": "s"}},
    )
    start = "arn:aws:sagemaker:us-east-1:123456789012:context/long-type"
    body = json.dumps({"StartArns": [start], "IncludeEdges": True}).encode()
    assert not _answer_problems(file_service, "QueryLineage", body)


def test_a_refused_request_with_a_body_does_not_poison_the_next_request_on_the_connection(
    file_service: FileService,
) -> None:
    """A GET/PUT with a body is answered without reading the body; on a kept-alive connection
    those bytes are then parsed as the next request line."""
    host, port = file_service.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=HANG_GUARD_SECONDS)
    try:
        conn.request("PUT", "/", body=b'{"a": 1}', headers=default_headers("ListArtifacts"))
        first = conn.getresponse()
        first.read()
        conn.request("POST", "/", body=b"{}", headers=default_headers("ListArtifacts"))
        second = conn.getresponse()
        answer = Reply(second.status, {k.lower(): v for k, v in second.getheaders()}, second.read())
    finally:
        conn.close()
    assert first.status == 404
    assert not reply_problems("ListArtifacts", answer), answer
