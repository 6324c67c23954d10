#!/usr/bin/env bash
# Runs every test: sets up the venv and trains the model first if needed.
# Extra arguments go to pytest (e.g. scripts/test.sh -k language).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
"$ROOT/scripts/setup.sh"
SILKROAD_MODEL="$("$PY" -m scripts.train_model)"
export SILKROAD_MODEL
cd "$ROOT"
exec "$PY" -m pytest "$@"
