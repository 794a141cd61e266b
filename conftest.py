import pytest

pytest_plugins = [
    "eguarantee.core.testing",
    "eguarantee.core.testing_browser",
    "eguarantee.guarantees.testing",
    "eguarantee.evidence.testing",
]


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """PBKDF2 costs about half a second a hash on these machines and the suite hashes
    thousands of times; the hasher is not what the tests examine."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _evidence_files_in_tmp(settings, tmp_path):
    """The log's signing key, the demo witnesses' keys and the file anchor: per test."""
    settings.EVIDENCE_KEY_FILE = tmp_path / "evidence" / "log-sm2.key"
    settings.EVIDENCE_ANCHOR_FILE = tmp_path / "evidence" / "anchors.jsonl"


@pytest.fixture(autouse=True)
def _pki_in_tmp(settings, tmp_path):
    """A demo CA of each test's own: parallel workers never share (or race for) one."""
    settings.PKI_DIR = tmp_path / "pki"
    settings.PKI_DEMO_CA = True
