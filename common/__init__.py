"""What the assistant's deployables (backends, action server, Rasa's channels, the production launcher) share:
the settings base and its production rule, the development secrets, and the two signed credentials that cross
deployables (the shop's buyer tokens, the channels' sender proofs)."""
