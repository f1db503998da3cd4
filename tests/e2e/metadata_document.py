"""A client's metadata document (CIMD) served over https on 127.0.0.1, with its own CA.

    with MetadataDocumentServer(tmp_path, redirect_uri=...) as document:
        document.client_id        # https://localhost:<port>/client.json, the client's id
        document.ca_file          # what the server's SSL_CERT_FILE must point at
        document.fetches          # how many times the document was fetched

The certificate is issued for `localhost` and 127.0.0.1 by a throw-away CA made for this run
(a CA plus a leaf, as OpenSSL's strict verification expects, not one self-signed leaf).
"""

from __future__ import annotations

import datetime
import ipaddress
import ssl
from pathlib import Path
from types import TracebackType

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from tests.fakes.server import HttpServer, Request, Response, Router, json_response, route

DOCUMENT_PATH = "/client.json"
VALIDITY = datetime.timedelta(hours=2)


class MetadataDocumentServer:
    def __init__(self, folder: Path, *, redirect_uri: str, client_name: str) -> None:
        self.ca_file, chain, key = certificates(folder)
        self.redirect_uri, self.client_name = redirect_uri, client_name
        self.fetches = 0
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(chain, key)
        self._https = _HttpsServer(Router([route("GET", DOCUMENT_PATH, self._document)]), context)
        self.client_id = f"https://localhost:{self._https.port}{DOCUMENT_PATH}"

    def _document(self, request: Request, params: dict[str, str]) -> Response:
        self.fetches += 1
        return json_response(
            200,
            {
                "client_id": self.client_id,
                "client_name": self.client_name,
                "redirect_uris": [self.redirect_uri],
                "grant_types": ["authorization_code", "refresh_token"],
                "response_types": ["code"],
                "token_endpoint_auth_method": "none",
            },
        )

    def __enter__(self) -> MetadataDocumentServer:
        self._https.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._https.stop()


class _HttpsServer(HttpServer):
    def __init__(self, router: Router, context: ssl.SSLContext) -> None:
        super().__init__(router)
        # The handshake happens on the connection's own thread, never in the accept loop.
        self._server.socket = context.wrap_socket(
            self._server.socket, server_side=True, do_handshake_on_connect=False
        )
        self.port = int(self._server.server_address[1])


def certificates(folder: Path) -> tuple[Path, Path, Path]:
    """Write a CA, a leaf for localhost/127.0.0.1 and its key; return (ca, chain, key)."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key, leaf_key = (
        ec.generate_private_key(ec.SECP256R1()),
        ec.generate_private_key(ec.SECP256R1()),
    )
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "e2e test CA")])
    ca = (
        _builder(ca_name, ca_name, ca_key.public_key(), now)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(signing=True), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    leaf_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    names = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    leaf = (
        _builder(leaf_name, ca_name, leaf_key.public_key(), now)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(signing=False), critical=True)
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    ca_file, chain, key = folder / "ca.pem", folder / "leaf.pem", folder / "leaf.key"
    ca_file.write_bytes(ca.public_bytes(pem))
    chain.write_bytes(leaf.public_bytes(pem) + ca.public_bytes(pem))
    key.write_bytes(
        leaf_key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return ca_file, chain, key


def _builder(
    subject: x509.Name,
    issuer: x509.Name,
    public_key: ec.EllipticCurvePublicKey,
    now: datetime.datetime,
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )


def _usage(*, signing: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not signing,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=signing,
        crl_sign=signing,
        encipher_only=False,
        decipher_only=False,
    )
