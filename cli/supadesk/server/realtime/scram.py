"""Client side of PostgreSQL password authentication (pure): SCRAM-SHA-256 (RFC 5802 / 7677,
without channel binding) and the legacy md5 exchange. Used by the replication connection."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

MECHANISM = "SCRAM-SHA-256"


class ScramError(Exception):
    pass


def md5_password(user: str, password: str, salt: bytes) -> bytes:
    inner = hashlib.md5((password + user).encode()).hexdigest()
    return b"md5" + hashlib.md5(inner.encode() + salt).hexdigest().encode()


def _hmac(key: bytes, message: bytes) -> bytes:
    return hmac.new(key, message, hashlib.sha256).digest()


@dataclass
class ScramClient:
    password: str
    nonce: str = ""
    user: str = ""  # PostgreSQL takes the user from the startup message and ignores this one
    _first_bare: str = ""
    _server_signature: bytes = b""

    def first_message(self) -> bytes:
        self.nonce = self.nonce or base64.b64encode(secrets.token_bytes(18)).decode()
        self._first_bare = f"n={self.user},r={self.nonce}"
        return f"n,,{self._first_bare}".encode()

    def final_message(self, server_first: bytes) -> bytes:
        fields = dict(part.split("=", 1) for part in server_first.decode().split(","))
        nonce, salt, iterations = fields.get("r", ""), fields.get("s", ""), fields.get("i", "")
        if not nonce.startswith(self.nonce) or not salt or not iterations.isdigit():
            raise ScramError("unexpected SCRAM server-first message")
        salted = hashlib.pbkdf2_hmac("sha256", self.password.encode(), base64.b64decode(salt), int(iterations))
        client_key = _hmac(salted, b"Client Key")
        without_proof = f"c=biws,r={nonce}"
        auth_message = f"{self._first_bare},{server_first.decode()},{without_proof}".encode()
        signature = _hmac(hashlib.sha256(client_key).digest(), auth_message)
        proof = bytes(a ^ b for a, b in zip(client_key, signature, strict=True))
        self._server_signature = _hmac(_hmac(salted, b"Server Key"), auth_message)
        return f"{without_proof},p={base64.b64encode(proof).decode()}".encode()

    def verify(self, server_final: bytes) -> None:
        text = server_final.decode()
        if not text.startswith("v=") or not hmac.compare_digest(base64.b64decode(text[2:]), self._server_signature):
            raise ScramError("the server's SCRAM signature does not match")
