import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Rasa 3.6 emits this for every domain that has any slot (Domain.from_dict calls
# validate_slot_mappings unconditionally); it is not about this project's data.
UNCONDITIONAL_RASA_NOTICES = ("Slot auto-fill has been removed in 3.0",)
# Rasa 3.6 calls a response unused when only custom actions send it; such a
# warning is accepted for exactly the responses an action in actions/ sends.
UNUSED_UTTERANCE = re.compile(r"The utterance '(\w+)' is not used in any story or rule")
# Rasa calls an intent without NLU examples a mistake; accepted for the intents only the Rasa side's reading of
# an answer gives (bot/form_answers.py), which the model is never to predict.
INTENT_WITHOUT_EXAMPLES = re.compile(r"The intent '(\w+)' is listed in the domain file, but is not found in the NLU")


# Not a response: the key under which Rasa names a bot message's response in its metadata.
RASA_METADATA_KEYS = {"utter_action"}


def responses_sent_by_actions():
    sent = set()
    for path in (ROOT / "actions").rglob("*.py"):
        sent.update(re.findall(r'"(utter_\w+)"', path.read_text(encoding="utf-8")))
    return sent - RASA_METADATA_KEYS


def responses_sent_by_the_console():
    """The support console has Rasa send these on hand-back and close (backends/support/)."""
    sent = set()
    for path in (ROOT / "backends" / "support").rglob("*.py"):
        sent.update(re.findall(r'"(utter_\w+)"', path.read_text(encoding="utf-8")))
    return sent


def responses_sent_by_the_channels():
    """The channels answer a message they do not pass on with these (bot/notices.py): no turn sends them."""
    return set(re.findall(r'"(utter_\w+)"', (ROOT / "bot" / "notices.py").read_text(encoding="utf-8")))


def questions_asked_by_forms():
    """utter_ask_<slot> for every slot a form requires: Rasa's forms send them, no story names them."""
    from rasa.shared.core.domain import Domain

    domain = Domain.load(str(ROOT / "domain"))
    return {f"utter_ask_{slot}" for form in domain.forms.values() for slot in form.get("required_slots", [])}


def test_rasa_data_validate_has_no_warnings():
    result = subprocess.run(
        [sys.executable, "-m", "rasa", "data", "validate", "--fail-on-warnings",
         "--domain", "domain", "--data", "data", "--config", "config.yml"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    sent_by_actions = (responses_sent_by_actions() | questions_asked_by_forms() | responses_sent_by_the_console()
                       | responses_sent_by_the_channels())

    from bot.form_answers import READ_ONLY_INTENTS

    def accepted(line):
        unused, unexampled = UNUSED_UTTERANCE.search(line), INTENT_WITHOUT_EXAMPLES.search(line)
        return (any(notice in line for notice in UNCONDITIONAL_RASA_NOTICES)
                or (unused is not None and unused.group(1) in sent_by_actions)
                or (unexampled is not None and unexampled.group(1) in READ_ONLY_INTENTS))

    warnings = [line for line in output.splitlines()
                if re.search(r"UserWarning|\bWARNING\b", line) and not accepted(line)]
    assert not warnings, output
