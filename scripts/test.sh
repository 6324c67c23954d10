#!/usr/bin/env bash
# Runs every test: sets up the venv and trains the model first if needed.
# With arguments, one pytest run with them (e.g. scripts/test.sh -k language).
# Without, the backend suites (bound to SQLite and PostgreSQL) run beside the rest, since they wait on
# different things; the rest is two runs, one after the other: every other test against the embedded
# assistant (the model, the assistant's processes, a browser), then the end-to-end tests again against
# the production profile (--profile production: PostgreSQL, Redis, RabbitMQ, two Rasa and two action
# workers behind load balancers) with its scale-out and fault tests. The backends' report follows; the
# command fails if any run does.
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
log "the end-to-end tests against the production profile"
production_status=0
"$PY" -m pytest --profile production --ignore=tests/backends -p no:cacheprovider \
  --basetemp="$runs/production-tmp" || production_status=$?
backends_status=0
wait "$backends_pid" || backends_status=$?
log "the backend suites (tests/backends), run alongside:"
cat "$runs/backends.log"
log "embedded: exit $rest_status; production profile: exit $production_status; tests/backends: exit $backends_status"
(( rest_status == 0 && production_status == 0 && backends_status == 0 ))
