#!/usr/bin/env bash
# Runs every test: sets up the venv and trains the model first if needed.
# With arguments, one pytest run with them (e.g. scripts/test.sh -k language).
# Without, two pytest runs side by side, since they wait on different things: the
# backend suites (bound to SQLite and PostgreSQL) and the rest (the model, the
# assistant's processes, a browser). The backends' report follows the rest's; the
# command fails if either does.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
"$ROOT/scripts/setup.sh"
SILKROAD_MODEL="$("$PY" -m scripts.train_model)"
export SILKROAD_MODEL
cd "$ROOT"
if [[ $# -gt 0 ]]; then
  exec "$PY" -m pytest "$@"
fi

runs="$(mktemp -d)"
trap 'rm -rf "$runs"' EXIT
"$PY" -m pytest tests/backends -p no:cacheprovider --basetemp="$runs/backends-tmp" >"$runs/backends.log" 2>&1 &
backends_pid=$!
rest_status=0
"$PY" -m pytest --ignore=tests/backends --basetemp="$runs/rest-tmp" || rest_status=$?
backends_status=0
wait "$backends_pid" || backends_status=$?
log "the backend suites (tests/backends), run alongside:"
cat "$runs/backends.log"
log "tests outside tests/backends: exit $rest_status; tests/backends: exit $backends_status"
(( rest_status == 0 && backends_status == 0 ))
