"""Actions run on a bounded pool of threads, so that one slow backend call does not stop every other
conversation on the action server.

The actions and their backend clients are synchronous (``requests``, with a timeout on every call). Rasa SDK
awaits an action on the server's one event loop: a synchronous action holds that loop for as long as its
backend calls take, and every other conversation's call waits behind it. Here each call (reading the tracker,
the action, its events) runs on one of ``size`` worker threads, each with an event loop of its own for the
SDK's asynchronous parts (forms' validation). More calls than threads wait their turn in order; the server's
loop stays free to take calls and answer health checks.
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, Optional

from rasa_sdk.executor import ActionExecutor


class ThreadedActionExecutor(ActionExecutor):
    """Rasa SDK's executor whose ``run`` takes place on a worker thread."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("the action server needs at least one action thread")
        super().__init__()
        self.size = size
        self._pool = ThreadPoolExecutor(max_workers=size, thread_name_prefix="action")
        self._local = threading.local()

    async def run(self, action_call: Dict[str, Any]) -> Optional[Dict[str, Any]]:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, self._run_on_this_thread, action_call)

    def _run_on_this_thread(self, action_call: Dict[str, Any]) -> Optional[Dict[str, Any]]:
        loop = getattr(self._local, "loop", None)
        if loop is None:
            loop = self._local.loop = asyncio.new_event_loop()
        return loop.run_until_complete(ActionExecutor.run(self, action_call))

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True)
