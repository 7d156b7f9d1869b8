"""Every JSON endpoint is in the OpenAPI schema with examples; the public works API answers 429
with Retry-After past its limit, in the portal's JSON error shape."""
import pytest
import yaml

from tests.citations.cited_by_builders import work

pytestmark = pytest.mark.django_db

JSON_ENDPOINTS = {
    ("/works", "get"), ("/works/{doi}", "get"),
    ("/api/v1/works/{doi}/cited-by", "get"), ("/api/v1/prefixes/{prefix}/cited-by", "get"),
    ("/api/v1/deposits/", "get"), ("/api/v1/deposits/", "post"), ("/api/v1/deposits/{id}/", "get"),
}


def test_every_json_endpoint_is_in_the_schema_with_examples(client):
    schema = yaml.safe_load(client.get("/api/schema/").content)
    for path, method in JSON_ENDPOINTS:
        operation = schema["paths"][path][method]
        examples = [example for response in operation["responses"].values()
                    for content in response.get("content", {}).values() for example in content.get("examples", {}).values()]
        assert examples, f"{method.upper()} {path} has no example"
        error_codes = {code for code in operation["responses"] if code.startswith(("4", "5"))}
        assert error_codes, f"{method.upper()} {path} documents no error"


def test_the_public_works_api_is_rate_limited_with_retry_after(client, press, settings):
    settings.PUBLIC_API_REQUESTS_PER_MINUTE = 3
    work(press[0], "10.5555/limited")
    answers = [client.get("/works/10.5555/limited") for _ in range(3)] + [client.get("/works")]
    assert [a.status_code for a in answers[:3]] == [200, 200, 200]
    limited = answers[3]
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert limited.json()["reason"] == "throttled" and limited.json()["status"] == 429


def test_other_addresses_are_counted_apart(client, press, settings):
    settings.PUBLIC_API_REQUESTS_PER_MINUTE = 1
    assert client.get("/works", REMOTE_ADDR="192.0.2.1").status_code == 200
    assert client.get("/works", REMOTE_ADDR="192.0.2.1").status_code == 429
    assert client.get("/works", REMOTE_ADDR="192.0.2.2").status_code == 200


def test_no_limit_when_the_setting_is_zero(client, settings):
    settings.PUBLIC_API_REQUESTS_PER_MINUTE = 0
    assert all(client.get("/works").status_code == 200 for _ in range(5))
