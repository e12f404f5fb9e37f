"""The HTTP API against a real server: `cprules serve` on 127.0.0.1 in a subprocess, real
HTTP requests, answers compared with the CLI's for the same cases (issue 14).

Needs the server extra (fastapi, uvicorn, httpx: in the `test` extra); without it these
tests fail at import, they are not skipped."""

from __future__ import annotations

import json
import re
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

import cprules
from cli_runner import cli
from cprules.schemas import SCHEMAS
from cprules.server import create_app
from cprules.yamlio import DEFAULT_LIMITS, read_document
from http_server import ROOT, Served, serve_subprocess, serve_thread

TOKEN = "test-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="session")
def server() -> Iterator[Served]:
    with serve_subprocess(token=TOKEN) as served:
        yield served


@pytest.fixture(scope="session")
def client(server: Served) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base, headers=AUTH, timeout=30) as c:
        yield c


def _plain(path: Path) -> Any:
    return read_document(path.read_bytes(), path.name).data


def _scenario(rel: str) -> tuple[dict[str, Any], dict[str, str]]:
    doc = _plain(ROOT / "tests" / "scenarios" / rel)
    params = {"ruleset": doc["ruleset"], "as_of": doc["as_of"]}
    if doc.get("variant"):
        params["variant"] = doc["variant"]
    return doc["facts"], params


CASES = {
    "example": (_plain(ROOT / "examples" / "york-case.yaml"),
                {"ruleset": "york", "as_of": "2024-09-20"}),
    "timed-hours": _scenario("kirklees/outline_plan_24h_timed_late.yaml"),
    "clock-change": _scenario("derby/hours_across_clock_changes.yaml"),
    "variant": _scenario("derby/after_conference_derby_city.yaml"),
    "partnership-default": ({**_plain(ROOT / "examples" / "york-case.yaml"),
                             "partnership": "york"}, {"as_of": "2024-07-15"}),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_evaluate_answers_what_the_cli_prints(client: httpx.Client, tmp_path: Path,
                                              name: str) -> None:
    facts, params = CASES[name]
    path = tmp_path / "case.json"
    path.write_text(json.dumps(facts))
    argv = ["evaluate", str(path), "--format", "json"]
    for key, flag in (("ruleset", "--ruleset"), ("as_of", "--as-of"), ("variant", "--variant")):
        if key in params:
            argv += [flag, params[key]]
    code, printed, _ = cli(*argv)
    assert code in (0, 1)
    r = client.post("/v1/evaluate", params=params, content=path.read_bytes())
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/json"
    assert r.text == printed  # byte for byte
    schema = json.loads((ROOT / "schema" / "evaluation.schema.json").read_text())
    check = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    assert not list(check.iter_errors(r.json()))


def _batch_body() -> bytes:
    lines = [json.dumps({**facts, "id": f"case-{n}", "partnership": p.get("ruleset", "york"),
                         **({"local_authority": p["variant"]} if "variant" in p else {})})
             for n, (facts, p) in enumerate(CASES.values())]
    lines.insert(2, '{"children": [}')                       # malformed JSON
    lines.insert(3, "")                                      # blank: skipped
    lines.append('{"children": [{"id": "c", "date_of_birth": "2024-02-30"}]}')
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("full", [False, True])
def test_batch_answers_the_lines_of_evaluate_jsonl(client: httpx.Client, full: bool) -> None:
    body = _batch_body()
    argv = ["evaluate", "--jsonl", "-", "--as-of", "2024-09-20", "--quiet"]
    code, printed, _ = cli(*([*argv, "--full"] if full else argv), stdin=body)
    assert code == 2  # two lines could not be read
    params = {"as_of": "2024-09-20", **({"full": "true"} if full else {})}
    with client.stream("POST", "/v1/evaluate/batch", params=params, content=body) as r:
        assert r.status_code == 200
        assert r.headers["content-type"] == "application/x-ndjson"
        assert r.headers.get("transfer-encoding") == "chunked"
        got = b"".join(r.iter_bytes()).decode()
    # the same lines; an error names the request body where the CLI names <stdin>
    assert got == printed.replace("<stdin>", "<request>")
    records = [json.loads(line) for line in got.splitlines()]
    assert [r["line"] for r in records] == [1, 2, 3, 5, 6, 7, 8]
    assert records[2]["error"]["line"] == 3 and records[2]["error"]["file"] == "<request>"
    assert records[-1]["error"]["field"] == "children[0].date_of_birth"


def _raw(base: str, head: bytes) -> socket.socket:
    host, port = base.removeprefix("http://").split(":")
    s = socket.create_connection((host, int(port)), timeout=10)
    s.sendall(head)
    return s


def _read_until(s: socket.socket, marker: bytes) -> bytes:
    data = b""
    while marker not in data:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def test_batch_is_streamed_both_ways(server: Served) -> None:
    """The first result line arrives while the request body is still being sent."""
    line = json.dumps({**CASES["example"][0], "id": "first"}).encode() + b"\n"
    s = _raw(server.base, b"POST /v1/evaluate/batch?ruleset=york HTTP/1.1\r\nHost: x\r\n"
             b"Authorization: Bearer " + TOKEN.encode() + b"\r\n"
             b"Transfer-Encoding: chunked\r\n\r\n" + b"%x\r\n%s\r\n" % (len(line), line))
    with s:
        first = _read_until(s, b'"case_id":"first"')
        assert b"200 OK" in first and b'"case_id":"first"' in first
        s.sendall(b"0\r\n\r\n")  # end of the body, after the answer began


def _problem(r: httpx.Response, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["status"] == status and body["type"].startswith("urn:cprules:problem:")
    assert "Traceback" not in r.text
    for key in ("title", "detail", "kind", "message", "file", "line", "field", "suggestion",
                "problems"):
        assert key in body
    return dict(body)


def test_malformed_json_is_400_with_its_line(client: httpx.Client) -> None:
    body = b'{\n  "children": [{"id": "c", "date_of_birth": "2019-03-04"}],\n  "events": [,]\n}'
    p = _problem(client.post("/v1/evaluate?ruleset=york", content=body), 400)
    assert (p["kind"], p["file"], p["line"]) == ("CaseError", "<request>", 3)
    assert "invalid JSON" in p["message"]


def test_unknown_event_type_is_422_with_field_and_suggestion(client: httpx.Client) -> None:
    body = {"children": [{"id": "c", "date_of_birth": "2019-03-04"}],
            "events": [{"type": "strategy_discussion", "date": "2024-05-01"},
                       {"type": "conferense", "date": "2024-05-20", "kind": "initial"}]}
    p = _problem(client.post("/v1/evaluate?ruleset=york", json=body), 422)
    assert p["field"] == "events[1]" and p["line"] == 1
    assert p["suggestion"] == "did you mean 'conference'?"
    assert p["problems"] and "conferense" in p["problems"][0]


def test_an_oversize_body_is_413(client: httpx.Client) -> None:
    big = b" " * DEFAULT_LIMITS.max_bytes + b"{}"
    assert _problem(client.post("/v1/evaluate?ruleset=york", content=big), 413)["kind"] == (
        "TooLarge")


def test_the_limit_is_enforced_while_reading(tmp_path: Path) -> None:
    """A chunked body that never ends is refused as soon as it passes the limit."""
    with serve_thread(create_app(["york"], token=None, max_body_bytes=1000)) as base:
        s = _raw(base, b"POST /v1/evaluate HTTP/1.1\r\nHost: x\r\n"
                 b"Transfer-Encoding: chunked\r\n\r\n" + b"7d0\r\n" + b" " * 2000 + b"\r\n")
        with s:  # the body is not finished, yet the answer comes
            answer = _read_until(s, b"}")
        assert answer.startswith(b"HTTP/1.1 413")
        assert b"application/problem+json" in answer


def test_a_line_over_the_line_limit_is_one_error_line(client: httpx.Client) -> None:
    good = json.dumps(CASES["example"][0]).encode()
    body = good + b"\n" + b"x" * (DEFAULT_LIMITS.max_line_bytes + 1) + b"\n" + good + b"\n"
    r = client.post("/v1/evaluate/batch?ruleset=york&as_of=2024-09-20", content=body)
    records = [json.loads(line) for line in r.text.splitlines()]
    assert [x["line"] for x in records] == [1, 2, 3]
    assert "line too long" in records[1]["error"]["message"] and "error" not in records[2]


def test_a_missing_or_wrong_token_is_401(server: Served) -> None:
    case = CASES["example"][0]
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
        r = httpx.post(f"{server.base}/v1/evaluate?ruleset=york", json=case, headers=headers)
        _problem(r, 401)
        assert r.headers["www-authenticate"].startswith("Bearer")
    assert httpx.get(f"{server.base}/v1/rulesets").status_code == 401
    assert httpx.get(f"{server.base}/healthz").status_code == 200  # no token needed


def test_unknown_ruleset_schema_and_path_are_404(client: httpx.Client) -> None:
    p = _problem(client.post("/v1/evaluate?ruleset=yrok", json=CASES["example"][0]), 404)
    assert p["field"] == "ruleset" and "york" in p["suggestion"]
    assert p["kind"] == "UnknownRulesetError" and p["detail"].startswith("no ruleset 'yrok'")
    p = _problem(client.post("/v1/evaluate", json={**CASES["example"][0],
                                                   "partnership": "leeds"}), 404)
    assert p["field"] == "partnership"
    _problem(client.get("/v1/rulesets/leeds"), 404)
    assert _problem(client.get("/v1/schemas/cas"), 404)["field"] == "kind"
    _problem(client.get("/v2/nothing"), 404)
    _problem(client.get("/v1/evaluate"), 405)


def test_bad_parameters_and_unevaluable_cases_are_4xx(client: httpx.Client) -> None:
    case = CASES["example"][0]
    p = _problem(client.post("/v1/evaluate?ruleset=york&as_of=20/09/2024", json=case), 400)
    assert p["field"] == "as_of" and "2024-09-20" in (p["suggestion"] or "")
    for day in ("2024-W38-5", "2024-02-30", "20240920"):
        _problem(client.post(f"/v1/evaluate?ruleset=york&as_of={day}", json=case), 400)
    p = _problem(client.post("/v1/evaluate", json={**case, "partnership": None}), 422)
    assert p["field"] == "partnership"
    p = _problem(client.post("/v1/evaluate?ruleset=derby", json=case), 422)
    assert p["kind"] == "VariantError"
    _problem(client.post("/v1/evaluate?ruleset=york", content=b"[1, 2]"), 422)
    _problem(client.post("/v1/evaluate?ruleset=york", content=b"\xff\xfe"), 400)
    _problem(client.post("/v1/evaluate/batch?full=maybe", content=b""), 400)


def test_a_case_of_another_partnership_gets_a_warning(client: httpx.Client) -> None:
    case = {**CASES["example"][0], "partnership": "kirklees"}
    r = client.post("/v1/evaluate?ruleset=york&as_of=2024-09-20", json=case)
    assert r.status_code == 200
    assert "kirklees" in r.headers["cprules-warning"]
    r = client.post("/v1/evaluate?ruleset=york&as_of=2024-09-20", json=CASES["example"][0])
    assert "cprules-warning" not in r.headers


def test_rulesets_are_listed_with_their_hashes_and_rules(client: httpx.Client) -> None:
    listed = client.get("/v1/rulesets").json()["rulesets"]
    assert [r["name"] for r in listed] == cprules.bundled_rulesets()
    for entry in listed:
        rs = cprules.load_ruleset(entry["name"])
        assert entry["sha256"] == rs.content_sha256 and entry["version"] == rs.version
        one = client.get(f"/v1/rulesets/{entry['name']}").json()
        assert (one["title"], one["sha256"]) == (rs.title, rs.content_sha256)
        assert [(r["id"], r["title"]) for r in one["rules"]] == [(r.id, r.title)
                                                                 for r in rs.rules]
        assert one["variants"] == {k: v.name for k, v in rs.variants.items()}


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_schemas_are_the_published_ones(client: httpx.Client, kind: str) -> None:
    r = client.get(f"/v1/schemas/{kind}")
    assert r.headers["content-type"] == "application/schema+json"
    assert r.json() == SCHEMAS[kind]()


def test_openapi_comes_from_the_library_models(client: httpx.Client) -> None:
    doc = client.get("/openapi.json").json()
    assert {"/v1/evaluate", "/v1/evaluate/batch", "/v1/rulesets", "/v1/rulesets/{name}",
            "/v1/schemas/{kind}", "/healthz"} <= set(doc["paths"])
    op = doc["paths"]["/v1/evaluate"]["post"]
    assert op["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Case"}
    assert {p["name"] for p in op["parameters"]} == {"ruleset", "as_of", "variant"}
    comps = doc["components"]["schemas"]
    assert "HTTPValidationError" not in comps  # a wrong parameter is a 400 problem
    assert list(doc["paths"]["/v1/evaluate/batch"]["post"]["responses"]["200"]["content"]) == [
        "application/x-ndjson"]
    refs = set(re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', json.dumps(doc)))
    assert refs and refs <= set(comps)  # every reference resolves
    for name, published in (("Case", SCHEMAS["case"]()), ("Evaluation", SCHEMAS["evaluation"]())):
        text = json.dumps(published["properties"]).replace("#/$defs/", "#/components/schemas/")
        assert comps[name]["properties"] == json.loads(text)


def test_rulesets_are_loaded_once_at_start(tmp_path: Path) -> None:
    path = tmp_path / "york.yaml"
    shutil.copy(ROOT / "rules" / "york.yaml", path)
    sha = cprules.load_ruleset(path).content_sha256
    with serve_thread(create_app([str(path)], token=None)) as base:
        path.write_text("not: [a ruleset")  # too late to matter
        r = httpx.post(f"{base}/v1/evaluate?as_of=2024-09-20", json={
            **CASES["example"][0], "partnership": "york"})
        assert r.status_code == 200 and r.json()["stamp"]["content_sha256"] == sha


def test_an_internal_error_is_a_500_problem_without_internals(
        caplog: pytest.LogCaptureFixture) -> None:
    app = create_app(["york"], token=None)

    @app.get("/v1/broken")
    async def broken() -> None:
        raise RuntimeError("secret-child-name")

    with caplog.at_level("INFO"), serve_thread(app) as base:
        r = httpx.get(f"{base}/v1/broken")
    _problem(r, 500)
    assert "secret" not in r.text and "RuntimeError" not in r.text
    assert "internal error: RuntimeError" in caplog.messages  # the type, never the message
    assert not any("secret" in m for m in caplog.messages)


_ACCESS = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (GET|POST) /[\w/{}.-]* \d{3}$")


def test_the_log_has_method_path_and_status_only(server: Served, client: httpx.Client) -> None:
    marker = "Zebedee-Quartermaine"  # in the case, the query and a refused body
    case = {**CASES["example"][0], "id": marker,
            "children": [{"id": marker, "date_of_birth": "2019-03-04"}]}
    assert client.post("/v1/evaluate?ruleset=york", json=case).status_code == 200
    client.post(f"/v1/evaluate?ruleset=york&variant={marker}", json=case)
    client.post("/v1/evaluate?ruleset=york", json={**case, "events": [
        {"type": marker, "date": "2024-05-01"}]})
    client.post("/v1/evaluate/batch?ruleset=york", content=json.dumps(case).encode())
    log = server.log_text()
    assert marker not in log and TOKEN not in log and "?" not in log
    access = [line for line in server.log if " INFO " not in line]
    assert access and all(_ACCESS.match(line) for line in access), access[:5]
    assert any(line.endswith("POST /v1/evaluate 422") for line in access)


def test_a_client_that_sends_everything_before_reading_gets_every_line(
        server: Served) -> None:
    """Megabytes in and out through a client that reads only after it has sent the whole
    body (as most do): the server keeps reading while its answer waits, so neither side
    waits for ever (a server that stopped reading deadlocks here)."""
    line = json.dumps(CASES["example"][0]).encode() + b" " * 40_000 + b"\n"
    body = line * 400  # 17 MB in, 12 MB out: more than the buffers on the way hold
    host, port = server.base.removeprefix("http://").split(":")
    with socket.socket() as s:
        s.settimeout(20)
        s.connect((host, int(port)))
        s.sendall(b"POST /v1/evaluate/batch?ruleset=york&as_of=2024-09-20&full=true "
                  b"HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer "
                  + TOKEN.encode() + b"\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
        answer = _read_until(s, b"\r\n0\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 200") and len(answer) > 10_000_000
    assert answer.count(b'"stamp":') == 400  # one full evaluation a line


def test_a_client_that_goes_away_is_not_an_error(server: Served) -> None:
    line = json.dumps(CASES["example"][0]).encode() + b"\n"
    for _ in range(3):
        s = _raw(server.base, b"POST /v1/evaluate/batch?ruleset=york HTTP/1.1\r\nHost: x\r\n"
                 b"Authorization: Bearer " + TOKEN.encode() + b"\r\n"
                 b"Transfer-Encoding: chunked\r\n\r\n" + b"%x\r\n%s\r\n" % (len(line), line))
        _read_until(s, b'"case_id"')
        s.close()  # mid-body, mid-answer
    s = _raw(server.base, b"POST /v1/evaluate?ruleset=york HTTP/1.1\r\nHost: x\r\n"
             b"Authorization: Bearer " + TOKEN.encode() + b"\r\nContent-Length: 1000\r\n\r\n{")
    s.close()  # mid-body
    assert httpx.get(f"{server.base}/healthz").status_code == 200
    assert "ERROR" not in server.log_text()
