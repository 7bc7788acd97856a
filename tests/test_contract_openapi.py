"""FastAPI's OpenAPI at /openapi.json describes every endpoint of the contract."""

from __future__ import annotations

CONTRACT = [
    ("post", "/api/v1/auth/token"),
    ("post", "/api/v1/users"),
    ("post", "/api/v1/mentors"),
    ("get", "/api/v1/mentors"),
    ("get", "/api/v1/mentors/{mentor_id}"),
    ("patch", "/api/v1/mentors/{mentor_id}"),
    ("post", "/api/v1/mentors/{mentor_id}/absences"),
    ("post", "/api/v1/mentors/{mentor_id}/rates"),
    ("post", "/api/v1/referrals"),
    ("get", "/api/v1/referrals"),
    ("get", "/api/v1/referrals/{referral_id}"),
    *[
        ("post", f"/api/v1/referrals/{{referral_id}}/{action}")
        for action in ("accept", "return", "resubmit", "pause", "resume", "close")
    ],
    ("get", "/api/v1/referrals/{referral_id}/suggestions"),
    ("post", "/api/v1/matching/plan"),
    ("post", "/api/v1/referrals/{referral_id}/assignment"),
    ("post", "/api/v1/referrals/{referral_id}/logbook"),
    ("get", "/api/v1/referrals/{referral_id}/logbook"),
    ("get", "/api/v1/logbook/{entry_id}"),
    ("put", "/api/v1/logbook/{entry_id}"),
    ("patch", "/api/v1/logbook/{entry_id}"),
    ("delete", "/api/v1/logbook/{entry_id}"),
    ("post", "/api/v1/logbook/{entry_id}/amendments"),
    ("post", "/api/v1/time-entries"),
    ("get", "/api/v1/time-entries"),
    ("patch", "/api/v1/time-entries/{entry_id}"),
    ("delete", "/api/v1/time-entries/{entry_id}"),
    ("post", "/api/v1/training-expenses"),
    ("get", "/api/v1/reports/refund"),
    ("get", "/api/v1/reports/refund.xlsx"),
    ("post", "/api/v1/refund-claims"),
    ("get", "/api/v1/refund-claims/{claim_id}.xlsx"),
    ("get", "/api/v1/citizens/{citizen_id}/access-export"),
    ("get", "/api/v1/notifications"),
    ("post", "/api/v1/notifications/{notification_id}/read"),
    ("get", "/healthz"),
]


def normalise(path: str) -> str:
    """Compare paths by shape: parameter names are the implementation's business."""
    import re

    return re.sub(r"\{[^}]+\}", "{}", path)


def test_every_contract_endpoint_is_described(client):
    spec = client.get("/openapi.json").json()
    described = {(method, normalise(path)) for path, ops in spec["paths"].items() for method in ops}
    missing = [(m, p) for m, p in CONTRACT if (m, normalise(p)) not in described]
    assert missing == []


def test_decimal_fields_are_documented_as_strings(client):
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    mentor = next(s for name, s in schemas.items() if "weekly_hours" in s.get("properties", {}))
    assert mentor["properties"]["weekly_hours"]["type"] == "string"


def _error_schema(spec: dict, operation: dict, status: str) -> dict | None:
    """The documented JSON schema of one answer of the operation, references resolved."""
    answer = operation["responses"].get(status, {})
    ref = answer.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref")
    return spec["components"]["schemas"][ref.rsplit("/", 1)[1]] if ref else None


def test_every_api_error_answer_is_documented(client):
    """401/403/404/409/503 as {"detail": str}, 422 in FastAPI's validation shape, everywhere."""
    spec = client.get("/openapi.json").json()
    missing = []
    for path, operations in spec["paths"].items():
        if not path.startswith("/api/v1/") or path == "/api/v1/auth/token":
            continue
        for method, operation in operations.items():
            for status in ("401", "403", "404", "409", "503"):
                schema = _error_schema(spec, operation, status)
                if schema is None or schema["properties"]["detail"]["type"] != "string":
                    missing.append((method, path, status))
            schema = _error_schema(spec, operation, "422")
            if schema is None or schema["properties"]["detail"]["type"] != "array":
                missing.append((method, path, "422"))
    assert missing == []


def test_token_answers_are_documented(client):
    spec = client.get("/openapi.json").json()
    operation = spec["paths"]["/api/v1/auth/token"]["post"]
    assert set(operation["responses"]) == {"200", "401", "422", "429", "503"}
    locked = _error_schema(spec, operation, "429") or {}
    assert {"detail", "locked_until", "retry_after"} <= set(locked.get("properties", {}))
    assert "Retry-After" in operation["responses"]["429"]["headers"]
