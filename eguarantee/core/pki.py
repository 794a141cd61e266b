"""Signing credentials of organizations, and the demo certificate authority.

In production each guarantor's signing key lives in its own HSM or UKey and its certificate
comes from a licensed CA (电子认证服务机构); pyHanko reaches such keys through PKCS#11. This
module keeps the file-based form used for development and tests: under PKI_DIR, one folder
per organization (its 统一社会信用代码) with `key.pem`, `cert.pem` and `chain.pem`. With
PKI_DEMO_CA on, a missing credential is issued on first use by a demo CA kept in
PKI_DIR/demo-ca — never in production, where the check in settings refuses it.

The PDF signature uses ECDSA P-256 with SHA-256: PAdES as PDF readers verify it today (SM2
signatures in PDF are not understood by common readers); SM2/SM3 sign the evidence log.
"""

import datetime
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings

from .exceptions import Conflict

CA_FOLDER = "demo-ca"
CA_NAME = "工程担保在线服务平台演示CA（仅供测试）"


@dataclass(frozen=True)
class Credential:
    key_file: Path
    cert_file: Path
    chain_file: Path


def _root():
    return Path(settings.PKI_DIR)


def _write_private(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


def _key_pem(key):
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _cert_pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM)


def demo_ca():
    """(key, certificate) of the demo CA, created on first use."""
    folder = _root() / CA_FOLDER
    key_file, cert_file = folder / "key.pem", folder / "cert.pem"
    if not cert_file.exists():
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name(
            [x509.NameAttribute(NameOID.COMMON_NAME, CA_NAME), x509.NameAttribute(NameOID.COUNTRY_NAME, "CN")]
        )
        now = datetime.datetime.now(datetime.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256())
        )
        _write_private(key_file, _key_pem(key))
        cert_file.write_bytes(_cert_pem(cert))
    key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
    return key, x509.load_pem_x509_certificate(cert_file.read_bytes())


def issue_demo_credential(organization):
    """A signing certificate for the organization from the demo CA (valid 2 years)."""
    ca_key, ca_cert = demo_ca()
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, organization.name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization.name),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, organization.credit_code),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=730))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    folder = _root() / organization.credit_code
    _write_private(folder / "key.pem", _key_pem(key))
    (folder / "cert.pem").write_bytes(_cert_pem(cert))
    (folder / "chain.pem").write_bytes(_cert_pem(ca_cert))
    return credential_files(organization)


def credential_files(organization):
    folder = _root() / organization.credit_code
    return Credential(folder / "key.pem", folder / "cert.pem", folder / "chain.pem")


def credential_for(organization):
    """The organization's signing credential; issued by the demo CA when allowed."""
    credential = credential_files(organization)
    if credential.key_file.exists() and credential.cert_file.exists():
        return credential
    if settings.PKI_DEMO_CA:
        return issue_demo_credential(organization)
    raise Conflict(f"“{organization.name}”尚未配置电子签章证书，不能出函。", code="no_signing_certificate")


def trust_roots():
    """Certificates a verifier of our PDFs trusts (the demo CA's when it is in use), as
    asn1crypto certificates, the form pyHanko's validator takes."""
    from asn1crypto import x509 as asn1_x509

    roots = [x509.load_pem_x509_certificate(Path(p).read_bytes()) for p in sorted(settings.PKI_TRUST_ROOTS)]
    if settings.PKI_DEMO_CA:
        roots.append(demo_ca()[1])
    return [asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)) for cert in roots]
