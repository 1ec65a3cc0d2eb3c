"""Finding 5 of the security review: what a client sends is bounded before any service sees it
(integers within 32 bits or tighter, JSON no deeper than 32 levels, text without control
characters or unpaired surrogates), and the OpenAPI document says so."""
from __future__ import annotations

import json

import marshmallow as ma
import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from services.gateway import service as _gateway  # noqa: F401 (its import registers the routes)
from services.gateway import web
from services.gateway.openapi import openapi_document
from services.gateway.schemas import activities, administrative_selection, assessment, profile
from services.gateway.schemas.base import INT32_MAX, INT32_MIN, StrictInteger
from tests.support.builders import profile_body


def raw_request(body: bytes, method="POST", query=None) -> Request:
    return Request(EnvironBuilder(method=method, path="/x", data=body, query_string=query,
                                  content_type="application/json").get_environ())


def handle(spec, req, path_args=None):
    seen = {}

    def fn(service, call):
        seen["call"] = call
        return 200, {}

    response = web._handle(None, fn, spec, req, path_args or {})
    return response, seen.get("call")


def spec(method="POST", **kwargs) -> web.RouteSpec:
    return web.RouteSpec(method, "/x", "summary", "tag", {200: None}, public=True, **kwargs)


def problem_of(response) -> dict:
    assert response.content_type == "application/problem+json"
    return json.loads(response.get_data())


def errors_of(schema, data) -> dict:
    with pytest.raises(ma.ValidationError) as raised:
        schema().load(data)
    return raised.value.messages


# -- integers ------------------------------------------------------------------------------

@pytest.mark.parametrize("query", [{"page": "2147483648"}, {"page": "0"},
                                   {"page": "99999999999999999999999"}, {"per_page": "201"},
                                   {"per_page": "0"}, {"page": "1.5"}, {"page": "1e3"}])
def test_page_and_per_page_are_bounded(query):
    for schema in (activities.ListActivitiesQuery, administrative_selection.ReviewQueueQuery,
                   assessment.ListQuestionsQuery):
        assert set(errors_of(schema, query)) == set(query)


def test_a_page_within_bounds_is_read():
    assert activities.ListActivitiesQuery().load({"page": "1000000", "per_page": "200"}) == {
        "page": 1_000_000, "per_page": 200}


def test_body_integers_are_32_bit_at_most_and_tighter_where_the_domain_says():
    field = StrictInteger()
    for value in (INT32_MAX + 1, INT32_MIN - 1, 2**63):
        with pytest.raises(ma.ValidationError):
            field.deserialize(value)
    assert field.deserialize(INT32_MAX) == INT32_MAX
    body = {"satker_code": "3528", "name": "S", "year": 2026,
            "registration_opens_at": "2026-11-01T00:00:00+07:00",
            "registration_closes_at": "2026-11-14T00:00:00+07:00",
            "announcement_at": "2026-11-20T00:00:00+07:00", "quota": 2**31,
            "requirements": {"age": {"min": -1, "max": 2**40, "rule": "preferred"}}}
    errors = errors_of(activities.ActivityBody, body)
    assert set(errors) == {"quota", "requirements"}
    assert set(errors["requirements"]["age"]) == {"min", "max"}
    assert set(errors_of(activities.ActivityChangesBody, {"quota": 1_000_001})) == {"quota"}


def _integers(schema: dict, components: dict, seen=()):
    if "$ref" in schema:
        name = schema["$ref"].split("/")[-1]
        if name not in seen:
            yield from _integers(components[name], components, (*seen, name))
        return
    if schema.get("type") == "integer":
        yield schema
    children = [*schema.get("properties", {}).values(), schema.get("items"),
                schema.get("additionalProperties")]
    for child in children:
        if isinstance(child, dict):
            yield from _integers(child, components, seen)


def test_the_openapi_document_bounds_every_integer_a_client_sends():
    document = openapi_document()
    components = document["components"]["schemas"]
    found = 0
    for operations in document["paths"].values():
        for operation in operations.values():
            schemas = [p["schema"] for p in operation.get("parameters", [])]
            content = operation.get("requestBody", {}).get("content", {})
            schemas += [media["schema"] for media in content.values()]
            for schema in schemas:
                for integer in _integers(schema, components):
                    found += 1
                    assert INT32_MIN <= integer["minimum"] <= integer["maximum"] <= INT32_MAX
    assert found >= 15
    page = next(p for p in document["paths"]["/api/v1/activities"]["get"]["parameters"]
                if p["name"] == "page")
    assert page["schema"]["minimum"] == 1
    age = components["AgeRuleBody"]["properties"]["min"]
    assert (age["minimum"], age["maximum"]) == (0, 150)


def test_a_huge_page_is_422_before_any_service():
    response, call = handle(spec("GET", query=activities.ListActivitiesQuery),
                            raw_request(b"", "GET", {"page": "2147483648"}))
    assert call is None and response.status_code == 422
    assert "page" in problem_of(response)["errors"]


# -- nesting -------------------------------------------------------------------------------

@pytest.mark.parametrize("depth", [33, 1000, 100_000])
def test_json_nested_deeper_than_32_is_400(depth):
    response, call = handle(spec(body=activities.ActivityChangesBody),
                            raw_request(b"[" * depth + b"]" * depth))
    assert call is None and response.status_code == 400
    nested_object = b'{"a":' * depth + b"1" + b"}" * depth
    assert handle(spec(body=activities.ActivityChangesBody),
                  raw_request(nested_object))[0].status_code == 400


def test_32_levels_are_parsed_and_brackets_in_strings_do_not_count():
    assert web.json_depth(b"[" * 40 + b"]" * 40) > web.JSON_MAX_DEPTH
    assert web.json_depth(b"[" * 20 + b"[]," * 30 + b"]" * 20) == 21
    assert web.json_depth(b'{"name": "' + b"[{" * 100 + b'\\"[[["}') == 1
    response, _ = handle(spec(body=activities.ActivityChangesBody),
                         raw_request(b"[" * 32 + b"]" * 32))
    assert response.status_code == 422  # parsed: not an object
    named = json.dumps({"name": "[{" * 50}).encode()
    assert handle(spec(body=activities.ActivityChangesBody), raw_request(named))[0] \
        .status_code == 200


# -- text ----------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", ["\x00", "a\x00b", "\x1b[31m", "\x7f", "\r", "\ud800",
                                 "x\udfff"])
def test_control_characters_and_lone_surrogates_are_422_on_the_field(bad):
    body = profile_body(full_name="Budi" + bad)
    assert set(errors_of(profile.ProfileBody, body)) == {"full_name"}
    nested = {"items": [{"text": "ok?", "options": ["a", "b", "c", bad], "answer_index": 0}]}
    errors = errors_of(assessment.QuestionsBody, nested)
    assert list(errors["items"][0]["options"]) == [3]
    assert set(errors_of(activities.ListActivitiesQuery, {"satker_code": bad})) == {
        "satker_code"}
    assert errors_of(activities.ActivityChangesBody, {"name" + bad: "x"})


def test_tab_and_newline_are_text():
    body = profile_body(address="Jl. Merdeka 1\nRT 02\tRW 03")
    assert profile.ProfileBody().load(body)["address"] == "Jl. Merdeka 1\nRT 02\tRW 03"


def test_a_lone_surrogate_reaches_no_service_and_the_answer_is_utf8():
    for body in (b'{"name": "\\ud800"}', b'{"\\ud800": 1}', b'{"name": "a\\u0000"}'):
        response, call = handle(spec(body=activities.ActivityChangesBody), raw_request(body))
        assert call is None and response.status_code == 422, body
        response.get_data().decode("utf-8")
        assert problem_of(response)["errors"]


def test_a_path_parameter_with_a_control_character_is_404():
    response, call = handle(spec("GET"), raw_request(b"", "GET"), {"activity_id": "a\x00b"})
    assert call is None and response.status_code == 404


def test_an_idempotency_key_that_is_not_printable_ascii_is_422():
    req = Request(EnvironBuilder(method="PUT", path="/x",
                                 headers={"Idempotency-Key": "k\x01"}).get_environ())
    response, call = handle(spec("PUT"), req)
    assert call is None and response.status_code == 422


# -- the document --------------------------------------------------------------------------

def test_the_openapi_document_tells_what_the_routes_answer():
    document = openapi_document()
    paths = document["paths"]
    errors = document["components"]["schemas"]["Problem"]["properties"]["errors"]
    kinds = {alt["type"] for alt in errors["additionalProperties"]["oneOf"]}
    assert kinds == {"array", "object"}
    profile_put = paths["/api/v1/me/profile"]["put"]
    assert profile_put["requestBody"]["required"] is True
    assert {"400", "401", "403", "422"} <= set(profile_put["responses"])
    apply = paths["/api/v1/activities/{activity_id}/applications"]["post"]
    assert apply["requestBody"]["required"] is False  # {} or nothing
    assert {"401", "403", "404", "409"} <= set(apply["responses"])
    upload = paths["/api/v1/me/documents/{kind}"]["put"]
    assert {"401", "403", "404", "413", "415", "422"} <= set(upload["responses"])
    one_activity = paths["/api/v1/activities/{activity_id}"]["get"]
    assert "404" in one_activity["responses"] and "401" not in one_activity["responses"]
    name = document["components"]["schemas"]["ActivityChangesBody"]["properties"]["name"]
    assert name["pattern"].startswith("^[^\\u0000")
