"""A stand-in for Rasa's HTTP API on 127.0.0.1: records what the console asks of it; can be made to refuse."""

from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, Iterator, List
from urllib.parse import parse_qs, unquote, urlparse


class FakeRasa:
    def __init__(self) -> None:
        self.calls: List[Dict[str, Any]] = []
        self.refuse = False
        self.url = ""

    @contextmanager
    def running(self) -> Iterator["FakeRasa"]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                url = urlparse(self.path)
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"null")
                parts = url.path.strip("/").split("/")
                fake.calls.append({"conversation": unquote(parts[1]), "path": "/".join(parts[2:]),
                                   "params": {k: v[0] for k, v in parse_qs(url.query).items()}, "body": body})
                status = 500 if fake.refuse else 200
                payload = json.dumps({"error": "refused"} if fake.refuse else {"ok": True}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{server.server_address[1]}"
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            server.shutdown()
            server.server_close()
