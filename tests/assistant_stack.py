"""The whole assistant as processes, for the end-to-end tests: the backends (freshly seeded SQLite; they
also serve the shop's chat and account pages, demo sign-in on, and the support console, which follows
Rasa's SQL event broker and has one agent), the action server, and Rasa with every channel: REST, the web
widget's socket.io, Telegram and WhatsApp, the last two pointed at fakes of the platforms' APIs on
127.0.0.1. One is started per test session (``assistant_stack`` in tests/conftest.py): starting Rasa takes
most of a minute."""

from __future__ import annotations

import re
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, Optional, TypeVar
from urllib.parse import parse_qs, quote, urlparse

import requests
import yaml

from actions.clients.http import BackendConfig, BackendHttp
from actions.clients.marketplace import Marketplace
from backends.support.staff import add_agent
from bot.web_sessions import WebSessions
from common import development_secrets
from deploy.production import ProductionStack, forget, free_ports
from deploy.profile import ProductionSettings
from deploy.throwaway import DeploymentSecrets
from tests import buyer_tokens
from tests.actions.backend_process import running_backends
from tests.channels.fake_platforms import FakeTelegram, FakeWhatsApp
from tests.servers import RasaAccess, free_port, register_access, running_assistant, tracker_of

TELEGRAM_TOKEN = "7000000001:AAFakeTokenForTheTests_abcdefghijkl"
TELEGRAM_SECRET = "telegram-webhook-secret-for-the-tests"
WHATSAPP_TOKEN = "EAAG-fake-whatsapp-access-token"
WHATSAPP_PHONE_ID = "109876543210"
WHATSAPP_APP_SECRET = "whatsapp-app-secret-for-the-tests"
WHATSAPP_VERIFY_TOKEN = "whatsapp-verify-token-for-the-tests"
TELEGRAM_BOT_USERNAME = "SilkRoadTestBot"
WHATSAPP_NUMBER = "15550001111"
AGENT_USERNAME, AGENT_PASSWORD, AGENT_NAME = "amina", "amina-console-password", "Amina"
T = TypeVar("T")


@dataclass
class AssistantStack:
    rasa_url: str
    shop_url: str
    backends: Marketplace
    telegram: FakeTelegram
    whatsapp: FakeWhatsApp
    secrets: DeploymentSecrets = field(default_factory=DeploymentSecrets.development)
    profile: str = "embedded"
    # the production profile's processes, and the proxy its processes reach RabbitMQ through
    production: Optional[ProductionStack] = None
    rabbitmq_proxy: Optional[Any] = None

    def account_page(self, buyer: str, language: str) -> Dict[str, str]:
        """What the shop's account page shows the signed-in buyer: the code and the apps' links. Embedded: the
        reference shop's page with demo sign-in; production (no demo sign-in): the code from the shop's API,
        with the links the page would make."""
        if self.profile == "production":
            code = self.shop_api().post("/v1/account-links/codes", headers={"X-Buyer-Id": buyer})["code"]
            return {"code": code, "telegram": f"https://t.me/{TELEGRAM_BOT_USERNAME}?start={quote(code)}",
                    "whatsapp": f"https://wa.me/{WHATSAPP_NUMBER}?text={quote(code)}"}
        page = requests.get(f"{self.shop_url}/shop/account", params={"buyer": buyer, "lang": language}, timeout=10)
        page.raise_for_status()
        links = {urlparse(unescape(url)).hostname: unescape(url) for url in re.findall(r'href="([^"]+)"', page.text)
                 if url.startswith("https://")}
        return {"code": re.search(r'id="link-code">([^<]+)<', page.text).group(1),
                "telegram": links["t.me"], "whatsapp": links["wa.me"]}

    def shop_api(self) -> BackendHttp:
        """The backends' API as the shop calls it (the shop's key)."""
        return BackendHttp(BackendConfig(base_url=self.shop_url, api_key=self.secrets.backend_keys["shop"]))

    def buyer_token(self, buyer: str) -> str:
        """A token the shop signs for its signed-in buyer (with this stack's shop secret)."""
        return buyer_tokens.sign_buyer_token(buyer, self.secrets.shop_token_secret)

    def web_conversation_id(self, session_key: str) -> str:
        """The conversation a web widget's session key (what the widget keeps) belongs to."""
        session = WebSessions(self.secrets.sender_proof_secret).resume(session_key)
        assert session is not None, f"not a session key this assistant issued: {session_key!r}"
        return session.conversation_id

    @staticmethod
    def query_value(url: str, name: str) -> str:
        return parse_qs(urlparse(url).query)[name][0]

    def console(self) -> requests.Session:
        """The support console's API, signed in as the agent."""
        session = requests.Session()
        answer = session.post(f"{self.shop_url}/console/api/login",
                              json={"username": AGENT_USERNAME, "password": AGENT_PASSWORD}, timeout=10)
        answer.raise_for_status()
        return session

    def tracker(self, conversation_id: str) -> Dict[str, Any]:
        return tracker_of(self.rasa_url, conversation_id)


def eventually(probe: Callable[[], Optional[T]], timeout: float = 20, what: str = "the condition") -> T:
    """The first truthy result of ``probe`` (the console learns of events a moment after Rasa writes them)."""
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout} s")
        time.sleep(0.2)


def add_console_agent(database_url: str) -> None:
    add_agent(database_url, AGENT_USERNAME, AGENT_PASSWORD, AGENT_NAME, ["en", "zh", "ru", "ar"])


def channel_credentials(telegram: FakeTelegram, whatsapp: FakeWhatsApp) -> Dict[str, Any]:
    return {
        "bot.rest_channel.RestInput": None,
        "bot.webchat_channel.WebChatInput": {"user_message_evt": "user_uttered", "bot_message_evt": "bot_uttered",
                                             "session_persistence": True},
        "bot.telegram_channel.TelegramInput": {"access_token": TELEGRAM_TOKEN, "secret_token": TELEGRAM_SECRET,
                                               "api_base_url": telegram.url, "timeout": 5},
        "bot.whatsapp_channel.WhatsAppInput": {"access_token": WHATSAPP_TOKEN, "phone_number_id": WHATSAPP_PHONE_ID,
                                               "app_secret": WHATSAPP_APP_SECRET,
                                               "verify_token": WHATSAPP_VERIFY_TOKEN,
                                               "api_base_url": whatsapp.url, "timeout": 5},
    }


def shop_environment(rasa_url: str, demo_sign_in: bool = True) -> Dict[str, str]:
    return {"SILKROAD_RASA_URL": rasa_url, "SILKROAD_DEMO_SIGN_IN": "1" if demo_sign_in else "0",
            "SILKROAD_TELEGRAM_BOT_USERNAME": TELEGRAM_BOT_USERNAME, "SILKROAD_WHATSAPP_NUMBER": WHATSAPP_NUMBER,
            "SILKROAD_SUPPORT_HOURS": "Mon-Sun 00:00-24:00"}


@contextmanager
def running_assistant_stack(model_path: Path, workdir: Path) -> Iterator[AssistantStack]:
    telegram = FakeTelegram(TELEGRAM_TOKEN)
    whatsapp = FakeWhatsApp(WHATSAPP_TOKEN, WHATSAPP_PHONE_ID)
    credentials = workdir / "credentials.yml"
    credentials.write_text(yaml.safe_dump(channel_credentials(telegram, whatsapp)))
    rasa_port = free_port()
    events_db = workdir / "rasa_events.db"
    shop_env = {**shop_environment(f"http://127.0.0.1:{rasa_port}"), "SILKROAD_RASA_EVENTS": f"sql:sqlite:///{events_db}"}
    with telegram.running(), whatsapp.running(), \
            running_backends(workdir, env=shop_env, before_start=add_console_agent) as backend_url:
        with running_assistant(model_path, env={"SILKROAD_BACKEND_URL": backend_url,
                                                "SILKROAD_SHOP_ORIGINS": backend_url},
                               credentials=credentials, rasa_port=rasa_port, event_broker_db=events_db) as rasa_url:
            secrets = DeploymentSecrets.development()
            yield AssistantStack(rasa_url, backend_url, Marketplace(BackendConfig(
                base_url=backend_url, api_key=secrets.backend_keys["assistant"])), telegram, whatsapp, secrets)


@contextmanager
def running_production_assistant_stack(model_path: Path, workdir: Path, workers: int = 2) -> Iterator[AssistantStack]:
    """The same assistant with the production profile (deploy/production.py): ``workers`` Rasa and action
    processes behind their load balancers, PostgreSQL (schemas of a unique instance in database ``test``),
    the atomic Redis lock store, RabbitMQ (reached through a proxy the fault tests can cut)."""
    from tests.production.tcp_proxy import TcpProxy

    telegram = FakeTelegram(TELEGRAM_TOKEN)
    whatsapp = FakeWhatsApp(WHATSAPP_TOKEN, WHATSAPP_PHONE_ID)
    rabbitmq = TcpProxy("127.0.0.1", 5672).start()
    rasa_port, rasa_api_port, action_port, backend_port, *ports = free_ports(4 + 2 * workers)
    settings = ProductionSettings(
        instance=f"t{uuid.uuid4().hex[:10]}", rabbitmq_url=f"amqp://guest:guest@127.0.0.1:{rabbitmq.port}/",
        rasa_workers=workers, action_workers=workers, rasa_port=rasa_port, rasa_api_port=rasa_api_port,
        action_port=action_port, backend_port=backend_port, worker_ports=ports[:workers],
        action_worker_ports=ports[workers:], ticket_ttl=5)
    secrets = DeploymentSecrets.random()
    environment = {**shop_environment(settings.rasa_url, demo_sign_in=False), **secrets.environment(),
                   "SILKROAD_SHOP_ORIGINS": settings.backend_url}
    stack = ProductionStack(settings, model_path, workdir, credentials=channel_credentials(telegram, whatsapp),
                            environment=environment, before_start=add_console_agent)
    register_access(settings.rasa_url, RasaAccess(settings.rasa_api_url, secrets.rasa_api_token, secrets.rest_token,
                                                  settings.action_url))
    for port in settings.worker_ports:  # the tests that talk to one worker directly
        worker = f"http://{settings.host}:{port}"
        register_access(worker, RasaAccess(worker, secrets.rasa_api_token, secrets.rest_token))
    buyer_tokens.use_shop_secret(secrets.shop_token_secret)
    try:
        with telegram.running(), whatsapp.running(), stack:
            yield AssistantStack(settings.rasa_url, settings.backend_url,
                                 Marketplace(BackendConfig(base_url=settings.backend_url,
                                                           api_key=secrets.backend_keys["assistant"])),
                                 telegram, whatsapp, secrets, profile="production", production=stack,
                                 rabbitmq_proxy=rabbitmq)
    finally:
        buyer_tokens.use_shop_secret(development_secrets.SHOP_TOKEN_SECRET)
        rabbitmq.restore()
        forget(settings)
        rabbitmq.stop()
