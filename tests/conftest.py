import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def pytest_addoption(parser):
    parser.addoption("--profile", choices=["embedded", "production"], default="embedded",
                     help="the assistant the end-to-end tests run against: embedded (SQLite, one process each) or "
                          "production (PostgreSQL, Redis, RabbitMQ, two Rasa and two action workers behind load "
                          "balancers); with production only the tests that use the assistant run")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--profile") != "production":
        return
    selected = [item for item in items if "assistant_stack" in getattr(item, "fixturenames", ())]
    deselected = [item for item in items if item not in selected]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected


@pytest.fixture(scope="session")
def model_path() -> Path:
    """The trained model: the one scripts/test.sh trained, or trained now."""
    from scripts.train_model import ensure_model

    configured = os.environ.get("SILKROAD_MODEL")
    path = Path(configured) if configured else ensure_model()
    assert path.exists(), f"model {path} is missing"
    return path


@pytest.fixture(scope="session")
def agent(model_path):
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)

    return Agent.load(str(model_path))


@pytest.fixture(scope="session")
def assistant_stack(model_path, tmp_path_factory, pytestconfig):
    """The whole assistant as processes, every channel (tests/assistant_stack.py), shared by the end-to-end
    modules: each test talks as its own buyer or conversation. Embedded, or the production profile with
    ``--profile production``."""
    from tests.assistant_stack import running_assistant_stack, running_production_assistant_stack

    workdir = tmp_path_factory.mktemp("assistant")
    if pytestconfig.getoption("--profile") == "production":
        with running_production_assistant_stack(model_path, workdir) as stack:
            yield stack
        return
    with running_assistant_stack(model_path, workdir) as stack:
        yield stack


@pytest.fixture
def production_stack(assistant_stack):
    """The session's assistant when it runs the production profile (these tests need its several workers)."""
    if assistant_stack.production is None:
        pytest.skip("runs with --profile production (scripts/test.sh runs it)")
    return assistant_stack


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, driven by Playwright (never a downloaded browser). One per module: Playwright's sync
    API keeps an event loop running in the test's thread while it is open, which other tests' asyncio.run()
    must not find."""
    from tests.browser import CHROMIUM, CHROMIUM_ARGS

    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
