"""Issuer key pairs: Ed25519 for Data Integrity proofs, P-256 for VC-JWT (ES256), their
public forms (Multikey, JWK), and private keys sealed with a key derived from settings."""

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import base58
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

ED25519_MULTICODEC = b"\xed\x01"
P256_MULTICODEC = b"\x80\x24"  # compressed point
SEAL_VERSION = "v1"


class KeyKind(StrEnum):
    ED25519 = "Ed25519"
    P256 = "P-256"


@dataclass(frozen=True)
class PublicKey:
    """One verification method of an issuer, as kept in the ledger and shown in its DID."""

    kind: KeyKind
    public: str  # Ed25519: publicKeyMultibase; P-256: the JWK as JSON
    created_at: datetime
    retired_at: datetime | None = None

    @property
    def fragment(self) -> str:
        if self.kind is KeyKind.ED25519:
            return self.public
        return "jwk-" + jwk_thumbprint(json.loads(self.public))

    def method(self, controller: str) -> dict[str, Any]:
        """The verification method object, as a DID document lists it."""
        method: dict[str, Any] = {"id": f"{controller}#{self.fragment}", "controller": controller}
        if self.kind is KeyKind.ED25519:
            return method | {"type": "Multikey", "publicKeyMultibase": self.public}
        return method | {"type": "JsonWebKey", "publicKeyJwk": json.loads(self.public)}


def generate(kind: KeyKind) -> tuple[bytes, str]:
    """(PKCS#8 private key, public form) of a fresh key pair."""
    private: ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey
    if kind is KeyKind.ED25519:
        private = ed25519.Ed25519PrivateKey.generate()
        public = ed25519_multibase(private.public_key())
    else:
        private = ec.generate_private_key(ec.SECP256R1())
        public = json.dumps(p256_jwk(private.public_key()), sort_keys=True)
    der = private.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return der, public


def ed25519_multibase(key: ed25519.Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + base58.b58encode(ED25519_MULTICODEC + raw).decode()


def ed25519_from_multibase(value: str) -> ed25519.Ed25519PublicKey:
    """Raises ValueError for anything but a base58btc Ed25519 Multikey."""
    if not value.startswith("z"):
        raise ValueError("only base58btc (z...) multibase keys are understood")
    raw = base58.b58decode(value[1:])
    if not raw.startswith(ED25519_MULTICODEC) or len(raw) != 34:
        raise ValueError("not an Ed25519 public key")
    return ed25519.Ed25519PublicKey.from_public_bytes(raw[2:])


def p256_from_multibase(value: str) -> ec.EllipticCurvePublicKey:
    raw = base58.b58decode(value[1:]) if value.startswith("z") else b""
    if not raw.startswith(P256_MULTICODEC):
        raise ValueError("not a P-256 public key")
    return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw[2:])


def p256_jwk(key: ec.EllipticCurvePublicKey) -> dict[str, str]:
    numbers = key.public_numbers()
    return {
        "kty": "EC",
        "crv": "P-256",
        "x": _b64url(numbers.x.to_bytes(32, "big")),
        "y": _b64url(numbers.y.to_bytes(32, "big")),
    }


def jwk_thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638: SHA-256 over the required members in lexical order."""
    required = {
        "EC": ("crv", "kty", "x", "y"),
        "OKP": ("crv", "kty", "x"),
        "RSA": ("e", "kty", "n"),
    }
    members = {name: jwk[name] for name in required[jwk["kty"]]}
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True).encode()
    return _b64url(hashlib.sha256(canonical).digest())


def load_private(der: bytes) -> Any:
    return serialization.load_der_private_key(der, password=None)


def seal(secret: str, key_id: str, der: bytes) -> str:
    """Encrypt a private key for the ledger (AES-256-GCM, bound to its row id)."""
    nonce = os.urandom(12)
    sealed = AESGCM(_sealing_key(secret)).encrypt(nonce, der, key_id.encode())
    return f"{SEAL_VERSION}:{_b64url(nonce + sealed)}"


def unseal(secret: str, key_id: str, value: str) -> bytes:
    version, _, body = value.partition(":")
    if version != SEAL_VERSION:
        raise ValueError(f"unknown sealing version {version!r}")
    raw = _b64url_decode(body)
    return AESGCM(_sealing_key(secret)).decrypt(raw[:12], raw[12:], key_id.encode())


def _sealing_key(secret: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"odznaka issuer keys v1")
    return hkdf.derive(secret.encode())


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
