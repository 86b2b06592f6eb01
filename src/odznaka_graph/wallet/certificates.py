"""The X.509 certificate HAIP wants in the `x5c` header of SD-JWT VCs and status list
tokens: for now one self-signed certificate per issuer key (development grade: no trust
chain yet, as no national registry issues access certificates), naming the issuer's URL
as its subject alternative name. Made once per key and process."""

import base64
import secrets
from datetime import timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID

from odznaka_graph.credentials.keyring import SigningKey

VALID_YEARS = 5
_made: dict[str, str] = {}  # key id -> base64 DER


def x5c(key: SigningKey, issuer_url: str) -> list[str]:
    """The `x5c` header value: the issuer key's certificate (base64 DER)."""
    if key.key_id not in _made:
        _made[key.key_id] = _certificate(key, issuer_url)
    return [_made[key.key_id]]


def _certificate(key: SigningKey, issuer_url: str) -> str:
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "PL"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Odznaka+"),
            x509.NameAttribute(NameOID.COMMON_NAME, issuer_url[-64:]),
        ]
    )
    start = key.public.created_at
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.private.public_key())
        .serial_number(secrets.randbits(63) + 1)
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=365 * VALID_YEARS))
        .add_extension(
            x509.SubjectAlternativeName([x509.UniformResourceIdentifier(issuer_url)]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key.private, hashes.SHA256())
    )
    return base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode()
