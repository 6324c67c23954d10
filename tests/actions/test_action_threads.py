"""actions/action_threads.py: an action that waits on a backend holds one worker thread, not the action
server; no more actions run at once than there are threads; results and errors are the SDK's own."""

import asyncio
import threading
from typing import Any, Dict, List

import pytest
from rasa_sdk.events import SlotSet

from actions.action_threads import ThreadedActionExecutor

WAIT = 10  # seconds a blocked action waits before giving up (a failure, never a pass)


def call(name: str) -> Dict[str, Any]:
    return {"next_action": name, "sender_id": "buyer", "version": "3.6.2", "domain": {},
            "tracker": {"sender_id": "buyer", "slots": {}, "latest_message": {}, "events": [], "paused": False,
                        "followup_action": None, "active_loop": {}, "latest_action_name": "action_listen"}}


def executor_with(size: int, **actions) -> ThreadedActionExecutor:
    """Actions registered as functions (a test's Action subclass would join the package the server scans)."""
    executor = ThreadedActionExecutor(size)
    for name, run in actions.items():
        executor.register_function(name, lambda dispatcher, tracker, domain, run=run: run(dispatcher))
    return executor


def test_a_blocked_action_does_not_stop_another_conversation():
    backend_answered = threading.Event()

    def slow(dispatcher):  # a synchronous backend call that answers only once the other action has run
        return [SlotSet("answered", backend_answered.wait(WAIT))]

    def fast(dispatcher):
        dispatcher.utter_message(response="utter_greet")
        backend_answered.set()
        return []

    executor = executor_with(2, action_slow=slow, action_fast=fast)

    async def both():
        return await asyncio.gather(executor.run(call("action_slow")), executor.run(call("action_fast")))

    slow_result, fast_result = asyncio.run(both())
    executor.shutdown()
    assert fast_result["responses"][0]["response"] == "utter_greet"
    assert slow_result["events"][0]["value"] is True  # it was not waiting in the server's event loop


def test_no_more_actions_at_once_than_threads():
    running, most, lock = [0], [0], threading.Lock()
    release = threading.Barrier(2, timeout=WAIT)

    def busy(dispatcher):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        try:
            release.wait()  # two at a time meet here; a third would have to wait for a free thread
        except threading.BrokenBarrierError:
            pass
        with lock:
            running[0] -= 1
        return []

    executor = executor_with(2, action_busy=busy)

    async def six():
        return await asyncio.gather(*(executor.run(call("action_busy")) for _ in range(6)))

    results = asyncio.run(six())
    executor.shutdown()
    assert len(results) == 6 and most[0] == 2


def test_errors_reach_the_webhook_as_the_sdks():
    from rasa_sdk.interfaces import ActionNotFoundException

    def broken(dispatcher):
        raise RuntimeError("backend answered nonsense")

    executor = executor_with(1, action_broken=broken)
    with pytest.raises(ActionNotFoundException):
        asyncio.run(executor.run(call("action_missing")))
    with pytest.raises(RuntimeError, match="nonsense"):
        asyncio.run(executor.run(call("action_broken")))
    executor.shutdown()


def test_an_asynchronous_action_runs_on_the_threads_own_loop():
    server_loop = []

    async def validate(dispatcher, tracker, domain) -> List[Dict[str, Any]]:
        await asyncio.sleep(0)
        return [SlotSet("colour", tracker.get_slot("colour").lower()),
                SlotSet("same_loop", asyncio.get_running_loop() is server_loop[0])]

    executor = ThreadedActionExecutor(1)
    executor.register_function("validate_toy_form", validate)
    request = call("validate_toy_form")
    request["tracker"]["slots"] = {"colour": "RED"}

    async def on_the_server():
        server_loop.append(asyncio.get_running_loop())
        return await executor.run(request)

    result = asyncio.run(on_the_server())
    executor.shutdown()
    assert [e["value"] for e in result["events"]] == ["red", False]


def test_at_least_one_thread():
    with pytest.raises(ValueError):
        ThreadedActionExecutor(0)
