"""Test helpers every app's tests use: demo users per role, logged-in clients, API clients,
and the one JSON error shape."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from eguarantee.accounts import demo


@pytest.fixture
def demo_users(db):
    """One user per built-in role (username = role code), as `make run` has them."""
    return demo.seed()


@pytest.fixture
def client_for(demo_users):
    """client_for("platform_admin") → a Django test client logged in as that role."""

    def make(role):
        client = Client()
        client.force_login(demo_users[role], backend="eguarantee.accounts.backends.RoleBackend")
        return client

    return make


@pytest.fixture
def api_for(demo_users):
    def make(role):
        client = APIClient()
        client.force_login(demo_users[role], backend="eguarantee.accounts.backends.RoleBackend")
        return client

    return make


def assert_api_error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["error"]["code"] == code, body
    assert body["error"]["message"]
    return body
