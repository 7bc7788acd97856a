"""The app hashes passwords at the production cost (the rest of the suite hashes cheaply:
`cheap_password_hashing` in tests/conftest.py)."""

from __future__ import annotations

from argon2 import extract_parameters

from service.auth.passwords import hash_password, verify_password
from tests.conftest import PASSWORD, _password_hash


def test_the_app_hashes_with_argon2id_at_the_production_cost(production_password_cost):
    stored = hash_password(PASSWORD)
    parameters = extract_parameters(stored)
    assert stored.startswith("$argon2id$")
    assert parameters.memory_cost >= 65536 and parameters.time_cost >= 3
    assert verify_password(stored, PASSWORD) and not verify_password(stored, PASSWORD + "x")


def test_the_fixture_hash_is_argon2id_and_verifies_through_the_app():
    assert _password_hash().startswith("$argon2id$")
    assert verify_password(_password_hash(), PASSWORD)
    assert not verify_password(_password_hash(), PASSWORD + "x")
