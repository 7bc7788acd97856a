"""API schemas are named by their use: XCreate and XUpdate are sent, XPublic is answered."""

from __future__ import annotations

# Error answers, FastAPI's own validation shapes, the OAuth2 form and the enums keep their names.
OTHER = {
    "Error",
    "FieldError",
    "ValidationErrors",
    "LockedOut",
    "HTTPValidationError",
    "ValidationError",
    "Role",
}
GENERATED = "Body_"  # FastAPI names the OAuth2 password form's schema itself


def _refs(node) -> set[str]:
    """Component names referenced anywhere inside a piece of the document."""
    if isinstance(node, dict):
        found = {node["$ref"].rsplit("/", 1)[1]} if "$ref" in node else set()
        for value in node.values():
            found |= _refs(value)
        return found
    if isinstance(node, list):
        return set().union(*(_refs(item) for item in node)) if node else set()
    return set()


def _closure(names: set[str], schemas: dict) -> set[str]:
    seen: set[str] = set()
    todo = set(names)
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo |= _refs(schemas[name]) - seen
    return seen


def test_sent_and_answered_schemas_are_named_by_their_use(client):
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    sent, answered = set(), set()
    for path, operations in spec["paths"].items():
        if not path.startswith("/api/v1/"):
            continue
        for operation in operations.values():
            sent |= _refs(operation.get("requestBody", {}))
            for status, answer in operation["responses"].items():
                if status.startswith("2"):
                    answered |= _refs(answer)
    sent = {n for n in _closure(sent, schemas) - OTHER if not n.startswith(GENERATED)}
    answered = _closure(answered, schemas) - OTHER
    assert sent and answered
    assert [n for n in sorted(sent) if not n.endswith(("Create", "Update"))] == []
    assert [n for n in sorted(answered) if not n.endswith("Public")] == []
