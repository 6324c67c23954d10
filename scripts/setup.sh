#!/usr/bin/env bash
# Creates .venv with Python 3.10 and installs the pinned requirements, only when
# requirements.txt changed since the last install; installs the web packages (the
# shop page's chat widget, the support console's charts) from the npm registry
# (only when web/package-lock.json changed); then
# migrates and seeds the marketplace database. Safe to run again and again.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

stamp="$VENV/.requirements.sha256"
wanted="$(sha256sum "$ROOT/requirements.txt" | cut -d' ' -f1)"

install_web_packages() {
  # rasa-webchat's bundle for the shop's page (/shop/chat), Chart.js for the support console (/console); no CDN.
  local web="$ROOT/web" stamp wanted
  stamp="$web/node_modules/.package-lock.sha256"
  wanted="$(sha256sum "$web/package-lock.json" | cut -d' ' -f1)"
  [[ -f "$stamp" && "$(cat "$stamp")" == "$wanted" ]] && return 0
  command -v npm >/dev/null || { log "npm is required for the web packages (apt install npm)"; exit 1; }
  log "installing the web packages (rasa-webchat, chart.js) from the npm registry"
  (cd "$web" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
  echo "$wanted" > "$stamp"
}

seed_marketplace() {
  # Idempotent: migrates the marketplace database and loads what is new.
  "$PY" -m backends.seed
}

install_web_packages

if [[ -x "$PY" && -f "$stamp" && "$(cat "$stamp")" == "$wanted" ]]; then
  seed_marketplace
  exit 0
fi

if [[ ! -x "$PY" ]]; then
  python310="$(find_python310)" || {
    log "Python 3.10 is required (Rasa 3.6 does not run on 3.11); install python3.10 and retry."
    exit 1
  }
  log "creating virtual environment $VENV with $python310"
  "$python310" -m venv "$VENV"
fi

log "installing pinned requirements (first time: several minutes)"
"$PY" -m pip install --quiet --disable-pip-version-check --upgrade "pip<24.1" wheel
"$PY" -m pip install --quiet --disable-pip-version-check -r "$ROOT/requirements.txt"
"$PY" -m pip check
echo "$wanted" > "$stamp"
log "environment ready"
seed_marketplace
