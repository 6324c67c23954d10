"""The production profile's load balancer, in front of real aiohttp and python-socketio servers."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from contextlib import asynccontextmanager
from typing import AsyncIterator, Dict, List

import aiohttp
import socketio
from aiohttp import web

from deploy.load_balancer import LoadBalancer
from tests.servers import free_port


@asynccontextmanager
async def serving(app: web.Application, port: int) -> AsyncIterator[str]:
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


def upstream_app(name: str, seen: Counter, health_delay: float = 0) -> web.Application:
    """An upstream that names itself, echoes a POST body, and has a socket.io server echoing 'ping'."""
    sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins="*", ping_interval=1, ping_timeout=2)
    app = web.Application()
    sio.attach(app)

    @sio.on("connect")
    async def connect(sid, environ, auth=None):
        seen[f"{name}:connect"] += 1

    @sio.on("ping_me")
    async def ping_me(sid, data):
        seen[f"{name}:ping"] += 1
        await sio.emit("pong_you", {"data": data, "by": name}, room=sid)

    async def hello(request: web.Request) -> web.Response:
        seen[name] += 1
        body = await request.read()
        return web.json_response({"by": name, "echo": body.decode(), "path": request.path_qs,
                                  "forwarded": request.headers.get("X-Forwarded-For", "")})

    async def dies(request: web.Request) -> web.Response:
        seen[f"{name}:dies"] += 1
        request.transport.close()  # the process goes away while answering
        await asyncio.sleep(1)
        return web.Response(text="never")

    async def health(request: web.Request) -> web.Response:
        seen[f"{name}:health"] += 1
        await asyncio.sleep(health_delay)  # a busy worker answers late
        return web.json_response({"status": "ok"})

    app.router.add_get("/health", health)
    app.router.add_get("/", hello)
    app.router.add_post("/webhook", hello)
    app.router.add_post("/dies", dies)
    return app


@asynccontextmanager
async def balanced(names: List[str], seen: Counter, health_delay: float = 0,
                   **options) -> AsyncIterator[Dict[str, object]]:
    ports = {name: free_port() for name in names}
    balancer = LoadBalancer([f"http://127.0.0.1:{port}" for port in ports.values()], health_path="/health",
                            health_interval=0.2, **options)
    contexts = {name: serving(upstream_app(name, seen, health_delay), port) for name, port in ports.items()}
    for context in contexts.values():
        await context.__aenter__()
    try:
        async with serving(balancer.app(), free_port()) as url:
            yield {"url": url, "balancer": balancer, "contexts": contexts, "ports": ports}
    finally:
        for context in contexts.values():
            try:
                await context.__aexit__(None, None, None)
            except RuntimeError:
                pass


def test_requests_go_round_robin_and_carry_body_path_and_forwarded_for():
    async def scenario() -> None:
        seen = Counter()
        async with balanced(["a", "b"], seen) as stack, aiohttp.ClientSession() as client:
            answers = []
            for number in range(6):
                async with client.post(f"{stack['url']}/webhook?x={number}", data=f"body {number}") as answer:
                    assert answer.status == 200
                    answers.append(await answer.json())
            assert seen["a"] == 3 and seen["b"] == 3
            assert [answer["echo"] for answer in answers] == [f"body {number}" for number in range(6)]
            assert answers[2]["path"] == "/webhook?x=2" and answers[0]["forwarded"] == "127.0.0.1"

    asyncio.run(scenario())


def test_an_upstream_that_went_away_is_skipped_and_taken_back_when_it_answers_again():
    async def scenario() -> None:
        seen = Counter()
        async with balanced(["a", "b"], seen) as stack, aiohttp.ClientSession() as client:
            await stack["contexts"]["a"].__aexit__(None, None, None)  # a stops
            for _ in range(4):
                async with client.post(f"{stack['url']}/webhook", data="x") as answer:
                    assert answer.status == 200 and (await answer.json())["by"] == "b"
            async with client.get(f"{stack['url']}/_balancer/status") as answer:
                status = await answer.json()
            assert [upstream["up"] for upstream in status["upstreams"]] == [False, True]
            stack["contexts"]["a"] = serving(upstream_app("a", seen), stack["ports"]["a"])
            await stack["contexts"]["a"].__aenter__()  # a is back on its port
            for _ in range(50):
                if all(upstream.up for upstream in stack["balancer"].pool.upstreams):
                    break
                await asyncio.sleep(0.1)
            before = seen["a"]
            for _ in range(4):
                async with client.post(f"{stack['url']}/webhook", data="x") as answer:
                    assert answer.status == 200
            assert seen["a"] - before == 2

    asyncio.run(scenario())


def test_a_request_the_upstream_dropped_while_answering_is_not_sent_again():
    async def scenario() -> None:
        seen = Counter()
        async with balanced(["a", "b"], seen) as stack, aiohttp.ClientSession() as client:
            async with client.post(f"{stack['url']}/dies", data="x") as answer:
                assert answer.status == 502
            assert seen["a:dies"] + seen["b:dies"] == 1

    asyncio.run(scenario())


def test_busy_upstreams_whose_health_checks_time_out_still_serve():
    async def scenario() -> None:
        seen = Counter()
        async with balanced(["a", "b"], seen, health_delay=0.5, health_timeout=0.1, health_failures=3) as stack, \
                aiohttp.ClientSession() as client:
            while seen["a:health"] < 2:  # two slow checks in a row: not yet out
                await asyncio.sleep(0.05)
            assert all(upstream.up for upstream in stack["balancer"].pool.upstreams)
            while any(upstream.up for upstream in stack["balancer"].pool.upstreams):  # three: out
                await asyncio.sleep(0.05)
            for _ in range(4):  # every upstream out, yet they take connections: still served, in turn
                async with client.post(f"{stack['url']}/webhook", data="x") as answer:
                    assert answer.status == 200
            assert seen["a"] == 2 and seen["b"] == 2

    asyncio.run(scenario())


def test_no_upstream_up_is_503():
    async def scenario() -> None:
        seen = Counter()
        async with balanced(["a"], seen) as stack, aiohttp.ClientSession() as client:
            await stack["contexts"]["a"].__aexit__(None, None, None)
            async with client.post(f"{stack['url']}/webhook", data="x") as answer:
                assert answer.status == 503

    asyncio.run(scenario())


def socketio_round_trips(url: str, transports: List[str], count: int) -> List[str]:
    async def play() -> List[str]:
        client = socketio.AsyncClient(reconnection=False)
        answers: asyncio.Queue = asyncio.Queue()
        client.on("pong_you", lambda data: answers.put_nowait(data))
        await client.connect(url, transports=transports)
        by = []
        for number in range(count):
            await client.emit("ping_me", number)
            answer = await asyncio.wait_for(answers.get(), 10)
            assert answer["data"] == number
            by.append(answer["by"])
        await client.disconnect()
        return by

    return play()


def test_socketio_long_polling_sessions_stay_on_the_process_that_holds_them():
    async def scenario() -> None:
        seen = Counter()
        async with balanced(["a", "b"], seen) as stack:
            for _ in range(3):  # three buyers: each session served by one process throughout
                by = await socketio_round_trips(stack["url"], ["polling"], 8)
                assert len(set(by)) == 1
            assert seen["a:connect"] + seen["b:connect"] == 3
            assert seen["a:connect"] >= 1 and seen["b:connect"] >= 1  # sessions are still spread
            assert len(stack["balancer"].pool.sticky) == 3

    asyncio.run(scenario())


async def websocket_round_trips(url: str, upgrade_from_polling: bool, count: int) -> List[str]:
    """Engine.io 4 spoken by hand over aiohttp (the python-socketio client's WebSocket transport needs a newer
    aiohttp than Rasa allows): a WebSocket-only session, or a long-polling one upgraded to a WebSocket."""
    async with aiohttp.ClientSession() as client:
        query = "EIO=4&transport=websocket"
        if upgrade_from_polling:
            async with client.get(f"{url}/socket.io/?EIO=4&transport=polling") as answer:
                sid = (await answer.text()).split('"sid":"')[1].split('"')[0]
            async with client.post(f"{url}/socket.io/?EIO=4&transport=polling&sid={sid}", data="40") as answer:
                assert answer.status == 200
            async with client.get(f"{url}/socket.io/?EIO=4&transport=polling&sid={sid}") as answer:
                assert (await answer.text()).startswith("40")
            query += f"&sid={sid}"
        async with client.ws_connect(f"{url}/socket.io/?{query}") as ws:
            if upgrade_from_polling:
                await ws.send_str("2probe")
                assert (await ws.receive_str(timeout=10)) == "3probe"
                await ws.send_str("5")
            else:
                assert (await ws.receive_str(timeout=10)).startswith("0{")
                await ws.send_str("40")
                assert (await ws.receive_str(timeout=10)).startswith("40")
            by = []
            for number in range(count):
                await ws.send_str(json.dumps(["ping_me", number]).join(["42", ""]))
                while True:
                    frame = await ws.receive_str(timeout=10)
                    if frame.startswith("42"):
                        break
                event, data = json.loads(frame[2:])
                assert event == "pong_you" and data["data"] == number
                by.append(data["by"])
            return by


def test_socketio_polling_upgraded_to_a_websocket_and_websocket_only_sessions_work():
    async def scenario() -> None:
        seen = Counter()
        async with balanced(["a", "b"], seen) as stack:
            for upgrade in (True, False, True, False):
                by = await websocket_round_trips(stack["url"], upgrade, 5)
                assert len(set(by)) == 1 and len(by) == 5
            assert seen["a:connect"] + seen["b:connect"] == 4

    asyncio.run(scenario())


def test_a_session_whose_process_went_away_is_told_to_start_again():
    async def scenario() -> None:
        seen = Counter()
        async with balanced(["a", "b"], seen) as stack, aiohttp.ClientSession() as client:
            async with client.get(f"{stack['url']}/socket.io/?EIO=4&transport=polling") as answer:
                assert answer.status == 200
                sid = (await answer.text()).split('"sid":"')[1].split('"')[0]
            holder = stack["balancer"].pool.sticky[sid]
            name = "a" if holder.url.endswith(str(stack["ports"]["a"])) else "b"
            await stack["contexts"][name].__aexit__(None, None, None)
            holder.mark_down("test")
            async with client.get(f"{stack['url']}/socket.io/?EIO=4&transport=polling&sid={sid}") as answer:
                assert answer.status == 400
                assert (await answer.json())["message"] == "Session ID unknown"

    asyncio.run(scenario())


def test_a_public_listener_forwards_only_its_paths_and_the_internal_one_everything():
    async def scenario() -> None:
        seen = Counter()
        port = free_port()
        balancer = LoadBalancer([f"http://127.0.0.1:{port}"], health_path="/health", health_interval=0.2)
        public = balancer.app(["/", "/webhooks/*", "/socket.io/*"], owns_session=True)
        internal = balancer.app(None, owns_session=False)
        async with serving(upstream_app("a", seen), port), serving(public, free_port()) as public_url, \
                serving(internal, free_port()) as internal_url, aiohttp.ClientSession() as client:
            async with client.get(f"{public_url}/") as answer:
                assert answer.status == 200 and (await answer.json())["by"] == "a"
            async with client.get(f"{public_url}/socket.io/?EIO=4&transport=polling") as answer:
                assert answer.status == 200
            for method, path in (("GET", "/conversations/x/tracker"), ("POST", "/conversations/x/tracker/events"),
                                 ("PUT", "/model"), ("GET", "/domain"), ("GET", "/_balancer/status"),
                                 ("POST", "/webhook"), ("GET", "/status?token=x")):
                async with client.request(method, f"{public_url}{path}") as answer:
                    assert answer.status == 404, (method, path)
            for path in ("/webhooks/../conversations/x/tracker", "/webhooks/%2e%2e/conversations/x/tracker",
                         "/webhooks%2F..%2Fconversations/x/tracker", "/socket.io/..\\domain"):
                async with client.get(f"{public_url}{path}") as answer:
                    assert answer.status in (400, 404), path
            assert seen["a"] == 1  # only the health check's "/" reached the upstream
            async with client.post(f"{internal_url}/webhook", data=b"kept") as answer:
                assert answer.status == 200 and (await answer.json())["echo"] == "kept"
            async with client.get(f"{internal_url}/_balancer/status") as answer:
                assert answer.status == 200 and (await answer.json())["upstreams"]

    asyncio.run(scenario())


def test_a_body_over_the_limit_is_refused_at_the_edge():
    async def scenario() -> None:
        seen = Counter()
        async with balanced(["a"], seen, max_body_bytes=4096) as stack, aiohttp.ClientSession() as client:
            async with client.post(f"{stack['url']}/webhook", data=b"x" * 5000) as answer:
                assert answer.status == 413
            assert seen["a"] == 0

    asyncio.run(scenario())
