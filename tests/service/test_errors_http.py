"""The API's error answers have the documented shapes (service/web/errors.py)."""

from __future__ import annotations


def test_a_body_that_is_not_utf8_is_422_naming_the_body(api):
    response = api("admin").post(
        "/api/v1/users",
        content=b'{"name": "\xff\xfe"}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body"] and error["type"] == "json_invalid"
