#!/usr/bin/env bash
# Chat with BackCare in this terminal: action server in the background, then `rasa shell`.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/operate/lib.sh
mkdir -p var/log
start_action_server "$ACTION_PORT" var/log/actions-shell.log
trap 'kill "$ACTION_PID" 2>/dev/null || true' EXIT
wait_for_url "http://localhost:$ACTION_PORT/health" "action server" var/log/actions-shell.log kill -0 "$ACTION_PID"
"$VENV/bin/python" -m backcare_channels.terminal --model "$MODEL" --endpoints endpoints.yml \
  --port "${SHELL_PORT:-5006}"
