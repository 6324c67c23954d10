"""A bounded share of the channel fuzzer (scripts/fuzz_channels.py runs 10,000 messages): generated messages
through REST, socket.io, Telegram and WhatsApp while a canary buyer talks, against the embedded assistant and
the production profile. No server error, no dropped connection, no process down, every canary question
answered, every conversation loadable. (The canary's latency is printed, not asserted: the script's full run
checks it against one second.)"""

from scripts.fuzz_channels import Fuzzer, Target
from tests.assistant_stack import TELEGRAM_SECRET, WHATSAPP_APP_SECRET, WHATSAPP_PHONE_ID
from tests.servers import access_of

MESSAGES = 400


def test_fuzzed_messages_on_every_channel_break_nothing(assistant_stack):
    stack = assistant_stack
    access = access_of(stack.rasa_url)
    target = Target(stack.rasa_url, access.api_url, access.api_token, stack.shop_url, access.rest_token,
                    TELEGRAM_SECRET, WHATSAPP_APP_SECRET, WHATSAPP_PHONE_ID)
    report = Fuzzer(target, MESSAGES, seed=7).run(canary_every=3.5)  # a person's pace: within the rate limit
    print(report.format(max_canary_seconds=1.0))
    assert report.server_errors == 0, report.statuses
    assert report.alive_at_end
    assert report.canary_unanswered == 0 and report.canary_seconds
    assert report.trackers_loaded and not report.trackers_failed
    assert all(sum(report.statuses[channel].values()) >= MESSAGES // 4 - 1 for channel in report.statuses)
