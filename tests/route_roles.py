"""Who may call which route: the table `test_route_roles.py` checks for every role.

Every route of the app must be listed here (public routes in PUBLIC). Each later area adds
its routes. `ALL` means every logged-in role.
"""

ALL = frozenset({"admin", "coordinator", "caseworker", "mentor", "finance"})


def only(*roles: str) -> frozenset[str]:
    return frozenset(roles)


PUBLIC = {
    ("GET", "/healthz"),
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/api/v1/auth/token"),
}

ROUTES: dict[tuple[str, str], frozenset[str]] = {
    # foundation: pages
    ("GET", "/"): ALL,
    ("POST", "/logout"): ALL,
    ("GET", "/admin/users"): only("admin"),
    ("POST", "/admin/users"): only("admin"),
    ("POST", "/admin/users/{user_id}/password"): only("admin"),
    ("POST", "/admin/users/{user_id}/unblock"): only("admin"),
    ("POST", "/admin/users/{user_id}/active"): only("admin"),
    ("GET", "/admin/audit"): only("admin"),
    # foundation: API
    ("POST", "/api/v1/users"): only("admin"),
    ("GET", "/api/v1/users"): only("admin"),
    ("GET", "/api/v1/users/me"): ALL,
}
