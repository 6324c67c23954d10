# Shared by the project's scripts: paths, the Python 3.10 interpreter, the venv.
# shellcheck shell=bash
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${SILKROAD_VENV:-$ROOT/.venv}"
PY="$VENV/bin/python"
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
# Quiet TensorFlow's start-up chatter; never reach a model hub.
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
export HF_HUB_OFFLINE=1
export RASA_TELEMETRY_ENABLED=false

log() { printf '\033[1m[silkroad]\033[0m %s\n' "$*" >&2; }

find_python310() {
  local candidate
  for candidate in python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10 \
      "$(pyenv root 2>/dev/null || echo /root/.pyenv)"/versions/3.10*/bin/python3.10; do
    if "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1; then
      command -v "$candidate" || echo "$candidate"
      return 0
    fi
  done
  return 1
}
