#!/usr/bin/env bash
# Sets everything up if needed and runs the assistant with the embedded default
# (no external service): the marketplace backends (with the support console) and their escrow auto-release
# job, the action server, the Rasa server (REST, the web widget's socket.io, Telegram and WhatsApp
# channels, HTTP API) and the shop's chat page. Ctrl-C stops them all.
# SILKROAD_PROFILE=production runs the production profile instead (deploy/production.py): PostgreSQL,
# Redis, RabbitMQ, several Rasa and action workers behind load balancers, on the same ports.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PROFILE="${SILKROAD_PROFILE:-embedded}"
case "$PROFILE" in
  embedded|production) ;;
  *) log "SILKROAD_PROFILE=$PROFILE: embedded or production"; exit 2 ;;
esac

RASA_PORT="${RASA_PORT:-5005}"
ACTION_PORT="${ACTION_PORT:-5055}"
BACKEND_PORT="${BACKEND_PORT:-8000}"
AUTO_RELEASE_EVERY="${SILKROAD_AUTO_RELEASE_EVERY:-60}"

"$ROOT/scripts/setup.sh"
model="$("$PY" -m scripts.train_model)"
cd "$ROOT"

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

if [[ "$PROFILE" == "production" ]]; then
  # every secret and setting comes from the environment: deploy/production.py refuses development secrets and
  # demo sign-in, naming each (docs/security.md)
  export RASA_PORT ACTION_PORT BACKEND_PORT
  log "production profile: web page http://127.0.0.1:$BACKEND_PORT/shop/chat, console http://127.0.0.1:$BACKEND_PORT/console"
  exec "$PY" -m deploy.production --model "$model"
fi

# The embedded profile runs with the public development secrets (common/development_secrets.py).
# The shop's chat page (/shop/chat on the backends) reaches Rasa here; ?buyer=<id> signs a demo buyer in.
export SILKROAD_RASA_URL="${SILKROAD_RASA_URL:-http://127.0.0.1:$RASA_PORT}"
export SILKROAD_DEMO_SIGN_IN="${SILKROAD_DEMO_SIGN_IN:-1}"
export SILKROAD_PUBLIC_BASE_URL="${SILKROAD_PUBLIC_BASE_URL:-http://127.0.0.1:$BACKEND_PORT}"
export SILKROAD_SHOP_ORIGINS="${SILKROAD_SHOP_ORIGINS:-http://127.0.0.1:$BACKEND_PORT,http://localhost:$BACKEND_PORT}"
export SILKROAD_BACKEND_URL="${SILKROAD_BACKEND_URL:-http://127.0.0.1:$BACKEND_PORT}"
# The support console (/console on the backends) follows Rasa's SQL event broker (endpoints.yml) and
# delivers agents' replies through Rasa's HTTP API.
export SILKROAD_RASA_EVENTS="${SILKROAD_RASA_EVENTS:-sql:sqlite:///$ROOT/var/rasa_events.db}"
if [[ "$SILKROAD_DEMO_SIGN_IN" == "1" ]]; then
  "$PY" -m backends.support.staff add-demo
fi
api_token="$("$PY" -c 'from bot.settings import rasa_settings; print(rasa_settings().rasa_api_token.get_secret_value())')"
agent_password="$("$PY" -c 'from backends.settings import Settings; print(Settings().demo_agent_password.get_secret_value())')"

log "starting the marketplace backends on 127.0.0.1:$BACKEND_PORT"
"$VENV/bin/uvicorn" backends.api.app:create_app --factory --host 127.0.0.1 --port "$BACKEND_PORT" --log-level warning &
pids+=($!)

log "starting the escrow auto-release job (every ${AUTO_RELEASE_EVERY} s)"
"$PY" -m backends.escrow.auto_release --every "$AUTO_RELEASE_EVERY" &
pids+=($!)

log "starting the action server on 127.0.0.1:$ACTION_PORT (it answers only Rasa)"
"$PY" -m actions.server --port "$ACTION_PORT" &
pids+=($!)

log "starting Rasa on 127.0.0.1:$RASA_PORT with $(basename "$model")"
"$PY" -m bot.server --model "$model" --port "$RASA_PORT" &
pids+=($!)

for _ in $(seq 1 180); do
  if curl -fsS "http://127.0.0.1:$RASA_PORT/" >/dev/null 2>&1; then break; fi
  kill -0 "${pids[-1]}" 2>/dev/null || { log "Rasa failed to start"; exit 1; }
  sleep 1
done
cat >&2 <<MSG

  Silk Road Assistant is running.
    Web:   http://127.0.0.1:$BACKEND_PORT/shop/chat?lang=ar   (a signed-in buyer: &buyer=buyer-sa-noura)
    Support console: http://127.0.0.1:$BACKEND_PORT/console   (demo agent: agent / $agent_password)
    REST:  curl -s -XPOST http://127.0.0.1:$RASA_PORT/webhooks/rest/webhook \\
             -H 'Content-Type: application/json' -d '{"sender": "me", "message": "привет"}'
    Parse: curl -s -XPOST "http://127.0.0.1:$RASA_PORT/model/parse?token=$api_token" -d '{"text": "где мой заказ"}'
    Marketplace API: http://127.0.0.1:$BACKEND_PORT/docs  (X-Api-Key: a development key of
                     common/development_secrets.py, e.g. silkroad-dev-assistant-key)
  Press Ctrl-C to stop.

MSG
wait -n "${pids[@]}"
