"""REST broadcast: `POST /api/broadcast` (batch) and `POST /api/broadcast/{topic}/events/{event}`.

The gateway has already checked the project key. The caller is the Bearer token (else the key);
private messages are sent only where that caller passes the topic's write policy, as on Supabase.
Success is 202 with an empty body.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from supadesk.keys import Claims
from supadesk.server.identity import api_key, bearer_token
from supadesk.server.realtime import serializer, tokens
from supadesk.server.realtime.authorization import AuthorizationError, channel_policies
from supadesk.server.realtime.protocol import BINARY_ENCODING, JSON_ENCODING

if TYPE_CHECKING:
    from supadesk.server.realtime.service import RealtimeService


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"message": message}, status_code=status)


class BroadcastApi:
    def __init__(self, service: RealtimeService) -> None:
        self.service = service

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/api/broadcast", self.batch, methods=["POST"]),
                Route("/api/broadcast/{topic}/events/{event}", self.single, methods=["POST"]),
            ]
        )

    def _claims(self, request: Request) -> Claims:
        headers = {k.lower(): v for k, v in request.headers.items()}
        token = bearer_token(headers) or api_key(headers) or ""
        return tokens.verify(self.service.keys, token)

    async def _allowed(self, claims: Claims, topic: str, private: bool, cache: dict[str, bool]) -> bool:
        if not private:
            return True
        if topic not in cache:
            policies = await channel_policies(self.service.state.pool, claims, topic, self.service.config.db_timeout_s)
            cache[topic] = policies.write
        return cache[topic]

    async def batch(self, request: Request) -> Response:
        try:
            claims = self._claims(request)
        except tokens.TokenError as exc:
            return _error(401, exc.message)
        try:
            body = json.loads(await request.body())
        except ValueError:
            return _error(400, "Body must be JSON")
        messages = body.get("messages") if isinstance(body, dict) else None
        if not isinstance(messages, list) or not all(isinstance(m, dict) for m in messages):
            return _error(422, "`messages` must be a list of objects")
        cache: dict[str, bool] = {}
        try:
            for message in messages:
                await self._send(claims, message, cache)
        except AuthorizationError:
            return _error(503, "Realtime was unable to connect to the project database")
        except ValueError as exc:
            return _error(422, str(exc))
        return Response(status_code=202)

    async def _send(self, claims: Claims, message: dict[str, Any], cache: dict[str, bool]) -> None:
        topic, event = message.get("topic"), message.get("event")
        if not isinstance(topic, str) or not topic or not isinstance(event, str) or not event:
            raise ValueError("each message needs a `topic` and an `event`")
        data = serializer.dumps(message.get("payload", {})).encode()
        if len(data) > self.service.config.max_payload_bytes:
            raise ValueError("Payload size exceeded")
        private = message.get("private") is True
        if await self._allowed(claims, topic, private, cache):
            self.service.hub.broadcast((private, topic), event, JSON_ENCODING, data)

    async def single(self, request: Request) -> Response:
        try:
            claims = self._claims(request)
        except tokens.TokenError as exc:
            return _error(401, exc.message)
        topic, event = request.path_params["topic"], request.path_params["event"]
        private = request.query_params.get("private") == "true"
        body = await request.body()
        if len(body) > self.service.config.max_payload_bytes:
            return _error(413, "Payload size exceeded")
        if request.headers.get("content-type", "").startswith("application/octet-stream"):
            encoding = BINARY_ENCODING
        else:
            encoding = JSON_ENCODING
            try:
                json.loads(body or b"{}")
            except ValueError:
                return _error(400, "Body must be JSON")
            body = body or b"{}"
        try:
            allowed = await self._allowed(claims, topic, private, {})
        except AuthorizationError:
            return _error(503, "Realtime was unable to connect to the project database")
        if allowed:
            self.service.hub.broadcast((private, topic), event, encoding, body)
        return Response(status_code=202)
