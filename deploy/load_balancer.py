"""An HTTP and WebSocket load balancer for a pool of Rasa (or action server) processes.

- Requests go round robin to the upstreams that are up. An upstream that refuses a connection is taken out
  at once (the request goes to the next one: nothing was sent, so nothing is done twice) and comes back
  when its health check answers again (checked every ``health_interval`` seconds). A busy upstream (a
  Rasa worker's event loop is blocked while it predicts) may answer its health check late: only
  ``health_failures`` checks in a row that time out take it out. When every upstream is out, each is
  still tried, in turn: a request fails (503) only when none takes the connection.
- Socket.io is sticky: the engine.io handshake's answer names the session (``sid``), and every later
  request of that session (long-polling, the upgrade to a WebSocket) goes to the process that holds it. A
  session whose process went away is answered 400 "Session ID unknown", as engine.io does, so the client
  opens a new one on a process that is up.
- A request that failed after it was sent (the process died while answering) is answered 502: it is not
  sent again, since the message may have been handled.
- ``--public-path`` (repeated) makes the listener public: it forwards only those paths (one ending in ``*`` is
  a prefix, any other exact) and answers 404 to the rest, so Rasa's HTTP API is not reachable there
  even with its token; a path with ``..`` or an encoded slash is refused (400). ``--internal-listen`` adds a
  second listener, for the internal network only, that forwards every path (and answers
  ``/_balancer/status``); a body is at most ``--max-body-bytes``.

    python -m deploy.load_balancer --listen 0.0.0.0:5005 --public-path / --public-path '/webhooks/*' \\
        --public-path '/socket.io/*' --internal-listen 127.0.0.1:5004 --health-path / \\
        --upstream http://127.0.0.1:5006 --upstream http://127.0.0.1:5007
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import logging
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Iterable, List, Optional

import aiohttp
from aiohttp import WSMsgType, web

logger = logging.getLogger("silkroad.load_balancer")

HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
              "transfer-encoding", "upgrade", "content-length", "host"}
SOCKETIO_PATH = "/socket.io/"
SID_IN_HANDSHAKE = re.compile(rb'"sid"\s*:\s*"([^"]+)"')
MAX_STICKY_SESSIONS = 100_000
DEFAULT_MAX_BODY_BYTES = 1024 * 1024
# What a path may not hold on a public listener: a way around the allowed prefixes once the upstream decodes it.
_EVASIVE_PATH = re.compile(r"(^|/)\.\.?(/|$)|%2f|%5c|%2e|\\", re.IGNORECASE)


def is_public(raw_path: str, public_paths: Iterable[str]) -> bool:
    """Whether a public listener forwards ``raw_path`` (as sent, before any decoding)."""
    path = raw_path.split("?", 1)[0]
    return any(path.startswith(allowed[:-1]) if allowed.endswith("*") else path == allowed
               for allowed in public_paths)


def is_evasive(raw_path: str) -> bool:
    return bool(_EVASIVE_PATH.search(raw_path.split("?", 1)[0]))


@dataclass
class Upstream:
    url: str
    up: bool = True
    failures: int = 0
    slow_checks: int = 0

    def mark_down(self, reason: str) -> None:
        if self.up:
            logger.warning("upstream %s is down: %s", self.url, reason)
        self.up = False
        self.failures += 1

    def mark_up(self) -> None:
        if not self.up:
            logger.warning("upstream %s is up again", self.url)
        self.up = True


@dataclass
class Pool:
    upstreams: List[Upstream]
    sticky: "OrderedDict[str, Upstream]" = field(default_factory=OrderedDict)

    def __post_init__(self) -> None:
        if not self.upstreams:
            raise ValueError("a pool needs at least one upstream")
        self._turn = itertools.cycle(range(len(self.upstreams)))

    def choose(self, exclude: Iterable[Upstream] = ()) -> Optional[Upstream]:
        """The next upstream that is up (round robin), not one of ``exclude``; when none is up, the next
        one not yet tried (an upstream taken out may be back before its health check says so)."""
        excluded = {id(upstream) for upstream in exclude}
        start = next(self._turn)
        in_turn = [self.upstreams[(start + offset) % len(self.upstreams)] for offset in range(len(self.upstreams))]
        candidates = [upstream for upstream in in_turn if id(upstream) not in excluded]
        return next((upstream for upstream in candidates if upstream.up), candidates[0] if candidates else None)

    def remember(self, sid: str, upstream: Upstream) -> None:
        self.sticky[sid] = upstream
        self.sticky.move_to_end(sid)
        while len(self.sticky) > MAX_STICKY_SESSIONS:
            self.sticky.popitem(last=False)

    def holder_of(self, sid: str) -> Optional[Upstream]:
        upstream = self.sticky.get(sid)
        if upstream is not None:
            self.sticky.move_to_end(sid)
        return upstream


class LoadBalancer:
    def __init__(self, upstream_urls: List[str], health_path: str = "/", health_interval: float = 1.0,
                 connect_timeout: float = 3.0, request_timeout: float = 120.0, health_timeout: float = 5.0,
                 health_failures: int = 3, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.max_body_bytes = max_body_bytes
        self.pool = Pool([Upstream(url.rstrip("/")) for url in upstream_urls])
        self.health_path = health_path
        self.health_interval = health_interval
        self.connect_timeout = connect_timeout
        self.request_timeout = request_timeout
        self.health_timeout = health_timeout
        self.health_failures = health_failures
        self.session: Optional[aiohttp.ClientSession] = None
        self._health_task: Optional[asyncio.Task] = None

    # -- the application ---------------------------------------------------------------------------------

    def app(self, public_paths: Optional[List[str]] = None, owns_session: bool = True) -> web.Application:
        """The listener's application: every path, or (``public_paths``) only those. ``owns_session``: this
        application starts and stops the shared client session and health checks (one listener does)."""
        app = web.Application(client_max_size=self.max_body_bytes)
        if public_paths is None:
            app.router.add_route("GET", "/_balancer/status", self.status)
            app.router.add_route("*", "/{tail:.*}", self.forward)
        else:
            app.router.add_route("*", "/{tail:.*}", self._public_forward(list(public_paths)))
        if owns_session:
            app.on_startup.append(self._start)
            app.on_cleanup.append(self._stop)
        return app

    def _public_forward(self, public_paths: List[str]):
        async def forward_public(request: web.Request) -> web.StreamResponse:
            if is_evasive(request.raw_path):
                return web.json_response({"error": "malformed path"}, status=400)
            if not is_public(request.raw_path, public_paths):
                return web.json_response({"error": "not found"}, status=404)
            return await self.forward(request)
        return forward_public

    async def _start(self, _app: web.Application) -> None:
        self.session = aiohttp.ClientSession(auto_decompress=False, cookie_jar=aiohttp.DummyCookieJar())
        self._health_task = asyncio.get_running_loop().create_task(self._check_health())

    async def _stop(self, _app: web.Application) -> None:
        if self._health_task is not None:
            self._health_task.cancel()
        if self.session is not None:
            await self.session.close()

    async def status(self, _request: web.Request) -> web.Response:
        return web.json_response({"upstreams": [{"url": upstream.url, "up": upstream.up, "failures": upstream.failures}
                                                for upstream in self.pool.upstreams],
                                  "sticky_sessions": len(self.pool.sticky)})

    async def _check_health(self) -> None:
        while True:
            await asyncio.gather(*(self._check(upstream) for upstream in self.pool.upstreams))
            await asyncio.sleep(self.health_interval)

    async def _check(self, upstream: Upstream) -> None:
        timeout = aiohttp.ClientTimeout(total=self.health_timeout, sock_connect=self.connect_timeout)
        try:
            async with self.session.get(upstream.url + self.health_path, timeout=timeout) as answer:
                healthy = answer.status < 500
        except asyncio.TimeoutError:  # busy, or hung: out only after several in a row
            upstream.slow_checks += 1
            if upstream.slow_checks >= self.health_failures:
                upstream.mark_down(f"{upstream.slow_checks} health checks in a row timed out")
            return
        except aiohttp.ClientError as error:  # refused or reset: the process is gone
            upstream.mark_down(f"health check: {error}")
            return
        upstream.slow_checks = 0
        if healthy:
            upstream.mark_up()
        else:
            upstream.mark_down(f"health check answered {answer.status}")

    # -- forwarding --------------------------------------------------------------------------------------

    async def forward(self, request: web.Request) -> web.StreamResponse:
        sid = request.query.get("sid") if request.path.startswith(SOCKETIO_PATH) else None
        if sid:
            holder = self.pool.holder_of(sid)
            if holder is None or not holder.up:
                # the process that held this socket.io session is gone: the client starts a new session
                return web.json_response({"code": 1, "message": "Session ID unknown"}, status=400)
            candidates = [holder]
        else:
            candidates = None
        websocket = request.headers.get("Upgrade", "").lower() == "websocket"
        tried: List[Upstream] = []
        body = await request.read() if not websocket else b""
        while True:
            upstream = candidates.pop(0) if candidates else (None if candidates is not None
                                                               else self.pool.choose(exclude=tried))
            if upstream is None:
                return web.json_response({"error": "no upstream is available"}, status=503)
            tried.append(upstream)
            try:
                if websocket:
                    return await self._forward_websocket(request, upstream)
                return await self._forward_http(request, upstream, body, learn_sid=sid is None)
            except aiohttp.WSServerHandshakeError as error:
                return web.json_response({"error": "the upstream refused the WebSocket"}, status=error.status)
            except aiohttp.ClientConnectorError as error:
                # nothing reached the process: another may take the request
                upstream.mark_down(str(error))
                if candidates is not None:
                    return web.json_response({"code": 1, "message": "Session ID unknown"}, status=400)
            except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                logger.warning("upstream %s failed during %s %s: %r", upstream.url, request.method,
                               request.path, error)
                return web.json_response({"error": "the upstream failed while answering"}, status=502)

    def _headers(self, request: web.Request) -> dict:
        headers = {name: value for name, value in request.headers.items() if name.lower() not in HOP_BY_HOP}
        peer = request.remote or ""
        forwarded = request.headers.get("X-Forwarded-For")
        headers["X-Forwarded-For"] = f"{forwarded}, {peer}" if forwarded else peer
        return headers

    async def _forward_http(self, request: web.Request, upstream: Upstream, body: bytes,
                            learn_sid: bool) -> web.Response:
        timeout = aiohttp.ClientTimeout(total=self.request_timeout, sock_connect=self.connect_timeout)
        async with self.session.request(request.method, upstream.url + request.rel_url.path_qs,
                                        headers=self._headers(request), data=body or None,
                                        allow_redirects=False, timeout=timeout) as answer:
            content = await answer.read()
            headers = {name: value for name, value in answer.headers.items() if name.lower() not in HOP_BY_HOP}
            if learn_sid and request.path.startswith(SOCKETIO_PATH) and answer.status == 200:
                found = SID_IN_HANDSHAKE.search(content)
                if found:
                    self.pool.remember(found.group(1).decode(), upstream)
            return web.Response(status=answer.status, headers=headers, body=content)

    async def _forward_websocket(self, request: web.Request, upstream: Upstream) -> web.WebSocketResponse:
        timeout = aiohttp.ClientTimeout(total=None, sock_connect=self.connect_timeout)
        headers = {name: value for name, value in self._headers(request).items()
                   if not name.lower().startswith("sec-websocket")}
        async with self.session.ws_connect(upstream.url + request.rel_url.path_qs, headers=headers,
                                           timeout=timeout.sock_connect, autoping=False) as upstream_socket:
            client_socket = web.WebSocketResponse(autoping=False)
            await client_socket.prepare(request)
            await asyncio.gather(self._pump(client_socket, upstream_socket),
                                 self._pump(upstream_socket, client_socket), return_exceptions=True)
            return client_socket

    @staticmethod
    async def _pump(source, target) -> None:
        try:
            async for message in source:
                if message.type == WSMsgType.TEXT:
                    await target.send_str(message.data)
                elif message.type == WSMsgType.BINARY:
                    await target.send_bytes(message.data)
                elif message.type == WSMsgType.PING:
                    await target.ping(message.data)
                elif message.type == WSMsgType.PONG:
                    await target.pong(message.data)
                else:
                    break
        finally:
            await target.close()


def parse_listen(value: str) -> tuple:
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit():
        raise argparse.ArgumentTypeError(f"--listen {value!r}: host:port")
    return host, int(port)


async def serve(balancer: LoadBalancer, listen: tuple, public_paths: Optional[List[str]],
                internal_listen: Optional[tuple]) -> None:
    """Runs the listener (public when ``public_paths`` are given) and the internal one, until cancelled."""
    runners = []
    sites = [(balancer.app(public_paths, owns_session=True), listen)]
    if internal_listen is not None:
        sites.append((balancer.app(None, owns_session=False), internal_listen))
    try:
        for app, (host, port) in sites:
            runner = web.AppRunner(app, access_log=None)
            await runner.setup()
            runners.append(runner)
            await web.TCPSite(runner, host, port).start()
        await asyncio.Event().wait()
    finally:
        for runner in reversed(runners):
            await runner.cleanup()


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", type=parse_listen, required=True, help="host:port to listen on")
    parser.add_argument("--upstream", action="append", required=True, help="an upstream's base URL (repeat)")
    parser.add_argument("--public-path", action="append", default=None,
                        help="the listener forwards only these paths (a prefix when it ends in *); repeat")
    parser.add_argument("--internal-listen", type=parse_listen, default=None,
                        help="host:port of a second listener, internal, that forwards every path")
    parser.add_argument("--health-path", default="/", help="GET path that answers < 500 when an upstream is up")
    parser.add_argument("--health-interval", type=float, default=1.0)
    parser.add_argument("--request-timeout", type=float, default=120.0)
    parser.add_argument("--max-body-bytes", type=int, default=DEFAULT_MAX_BODY_BYTES)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    balancer = LoadBalancer(args.upstream, health_path=args.health_path, health_interval=args.health_interval,
                            request_timeout=args.request_timeout, max_body_bytes=args.max_body_bytes)
    host, port = args.listen
    listening = {"listening": f"http://{host}:{port}", "upstreams": args.upstream,
                 "public_paths": args.public_path}
    if args.internal_listen:
        listening["internal"] = "http://%s:%d" % args.internal_listen
    print(json.dumps(listening), flush=True)
    try:
        asyncio.run(serve(balancer, args.listen, args.public_path, args.internal_listen))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
