"""Signing keys, the JWKS and the JWTs the fake issues.

id_tokens are v2 RS256 JWTs verifiable against the published JWKS (wire shapes §1.7). Graph
access tokens imitate the real v1 tokens: JWT-shaped with a ``nonce`` in the header and signed
with a key that is never published, so, like the real ones, clients can only treat them as
opaque (Graph itself recognises them by looking them up).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _uint(value: int) -> str:
    # RFC 7518 §6.3.1: n and e are unsigned big-endian integers, base64url-encoded.
    return b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))


def _segment(value: dict[str, Any]) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode())


def s256(verifier: str) -> str:
    """The PKCE S256 code challenge of a verifier (RFC 7636 §4.2)."""
    return b64url(hashlib.sha256(verifier.encode()).digest())


def opaque(prefix: str = "1.AXoA") -> str:
    """An opaque code or refresh token; real ones start with a version marker, never a JWT."""
    return f"{prefix}{secrets.token_urlsafe(96)}"


class SigningKey:
    """An RSA key with a self-signed certificate, published like Entra's (kid = x5t)."""

    def __init__(self) -> None:
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "accounts.fake.invalid")])
        now = datetime.now(UTC)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(private.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=365))
            .sign(private, hashes.SHA256())
        )
        der = certificate.public_bytes(serialization.Encoding.DER)
        self.kid = b64url(hashlib.sha1(der, usedforsecurity=False).digest())
        self._x5c = base64.b64encode(der).decode()
        self._private = private

    def public_jwk(self, *, issuer: str) -> dict[str, Any]:
        public = self._private.public_key().public_numbers()
        return {
            "kty": "RSA",
            "use": "sig",
            "kid": self.kid,
            "x5t": self.kid,
            "n": _uint(public.n),
            "e": _uint(public.e),
            "x5c": [self._x5c],
            "issuer": issuer,
            "cloud_instance_name": "microsoftonline.com",
        }

    def sign(self, claims: dict[str, Any], *, extra_header: dict[str, str] | None = None) -> str:
        """A compact JWS (RFC 7515 §7.1) with RS256 (RFC 7518 §3.3)."""
        header = {"typ": "JWT", "alg": "RS256", **(extra_header or {}), "kid": self.kid}
        signing_input = f"{_segment(header)}.{_segment(claims)}"
        signature = self._private.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        return f"{signing_input}.{b64url(signature)}"


class Keys:
    """The published id_token key and the private key of Graph access tokens."""

    def __init__(self) -> None:
        self.id_tokens = SigningKey()
        self.access_tokens = SigningKey()

    def jwks(self, *, issuer: str) -> dict[str, Any]:
        return {"keys": [self.id_tokens.public_jwk(issuer=issuer)]}

    def id_token(self, claims: dict[str, Any]) -> str:
        return self.id_tokens.sign(claims)

    def access_token(self, claims: dict[str, Any]) -> str:
        # The real header carries a nonce and an x5t (wire shapes §1.7).
        nonce = b64url(secrets.token_bytes(32))
        header = {"nonce": nonce, "x5t": self.access_tokens.kid}
        return self.access_tokens.sign(claims, extra_header=header)
