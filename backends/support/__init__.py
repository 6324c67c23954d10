"""The support desk behind the console: staff and their sign-in, the handoff queue and business hours, the
projection of Rasa's conversation events (transcripts, analytics), and the calls that make Rasa deliver an
agent's words and hand a conversation back."""
