"""The verifier's identity under the `x509_hash` client identifier prefix HAIP asks for:
a P-256 signing key and a certificate for it, issued by a development CA the project makes
itself (no national registry issues relying-party access certificates yet). Both are made
once per installation and kept in the SQL store (the key sealed), so every instance signs
request objects under the same client identifier: `x509_hash:` + the base64url SHA-256 of
the leaf certificate's DER."""

import base64
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from joserfc.jwk import ECKey
from sqlalchemy.exc import IntegrityError

from odznaka_graph.clock import now
from odznaka_graph.credentials import keys
from odznaka_graph.ledger.db import Ledger
from odznaka_graph.ledger.wallet_tables import wallet_verifier_keys as table
from odznaka_graph.wallet.sd_jwt import b64url

ROW = "current"
PREFIX = "x509_hash:"
VALID_DAYS = 3 * 365


@dataclass(frozen=True)
class VerifierIdentity:
    client_id: str  # x509_hash:<hash of the leaf>
    key: ECKey  # signs request objects
    x5c: list[str]  # base64 DER, the leaf only (HAIP: never the trust anchor)
    ca: str  # the development CA, base64 DER: what a wallet would be told to trust


async def load(ledger: Ledger, secret: str, host: str) -> VerifierIdentity:
    """The installation's verifier identity, made on first use (the caller keeps it)."""
    row = await _row(ledger)
    if row is None:
        private, chain = _make(host, now())
        sealed = keys.seal(secret, ROW, private)
        try:
            async with ledger.transaction() as conn:
                await conn.execute(
                    table.insert().values(
                        id=ROW, private_key=sealed, certificates=chain, created_at=now()
                    )
                )
        except IntegrityError:
            pass  # another instance made it first: use theirs
        row = await _row(ledger)
    assert row is not None
    der = keys.unseal(secret, ROW, row.private_key)
    pem = serialization.load_der_private_key(der, None).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    leaf, ca = row.certificates
    return VerifierIdentity(client_id(leaf), ECKey.import_key(pem), [leaf], ca)


async def _row(ledger: Ledger) -> sa.Row[tuple[str, str, list[str], datetime]] | None:
    async with ledger.reading() as conn:
        result = await conn.execute(sa.select(table).where(table.c.id == ROW))
        return result.first()


def client_id(leaf_b64: str) -> str:
    digest = hashlib.sha256(base64.b64decode(leaf_b64)).digest()
    return PREFIX + b64url(digest)


def _make(host: str, at: datetime) -> tuple[bytes, list[str]]:
    """(the leaf's private key as PKCS#8 DER, [leaf, CA] as base64 DER)."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("Odznaka+ development verifier CA")
    ca = (
        _builder(ca_name, ca_name, ca_key.public_key(), at)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(cert_sign=True), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    leaf = (
        _builder(_name(host[-64:] or "odznaka"), ca_name, leaf_key.public_key(), at)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(cert_sign=False), critical=True)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    private = leaf_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return private, [_b64(leaf), _b64(ca)]


def _name(common: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "PL"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Odznaka+"),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def _builder(
    subject: x509.Name, issuer: x509.Name, public: ec.EllipticCurvePublicKey, at: datetime
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public)
        .serial_number(secrets.randbits(63) + 1)
        .not_valid_before(at - timedelta(minutes=5))
        .not_valid_after(at + timedelta(days=VALID_DAYS))
    )


def _usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _b64(certificate: x509.Certificate) -> str:
    return base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode()
