"""Fixtures for the accounts tests."""

import pytest

MD5 = "django.contrib.auth.hashers.MD5PasswordHasher"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    """PBKDF2 takes about half a second per hash here; the suite hashes hundreds of times."""
    settings.PASSWORD_HASHERS = [MD5]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Seed the demo organizations and users once: `demo_users` (demo.seed, idempotent) then
    only reads them back instead of creating twelve users in every test. The committed rows
    carry a hash under the default hashers, exactly what demo.seed() makes, so tests of
    other apps that run later in the same session see nothing unusual."""
    from django.contrib.auth.hashers import make_password
    from django.test import override_settings

    from eguarantee.accounts import demo
    from eguarantee.accounts.models import PasswordHistory, User

    with django_db_blocker.unblock():
        real_hash = make_password(demo.DEMO_PASSWORD)
        with override_settings(PASSWORD_HASHERS=[MD5]):
            users = demo.seed()
        pks = [user.pk for user in users.values()]
        User.objects.filter(pk__in=pks).update(password=real_hash)
        PasswordHistory.objects.filter(user__in=pks).update(password=real_hash)


@pytest.fixture
def demo_users(demo_users):
    """The demo users with an MD5 hash of the demo password, inside this test's transaction
    only (rolled back afterwards)."""
    from django.contrib.auth.hashers import make_password

    from eguarantee.accounts import demo
    from eguarantee.accounts.models import PasswordHistory, User

    fast = make_password(demo.DEMO_PASSWORD)
    pks = [user.pk for user in demo_users.values()]
    User.objects.filter(pk__in=pks).update(password=fast)
    PasswordHistory.objects.filter(user__in=pks).update(password=fast)
    for user in demo_users.values():
        user.password = fast
    return demo_users
