#!/usr/bin/env bash
# Start the action server, the Rasa server, the web page and the staff console; Ctrl-C stops all.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/operate/lib.sh
LOGS=${BACKCARE_VAR:-var}/log
mkdir -p "$LOGS"
WEB_PORT=${WEB_PORT:-8080}
pids=()
cleanup() {
  trap - INT TERM EXIT
  echo; echo "Stopping BackCare..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "BackCare stopped."
}
trap cleanup INT TERM EXIT

# The content was checked by `make content-check` (production refuses drafts) before training.
echo "Starting the action server on port $ACTION_PORT (log: $LOGS/actions.log)"
start_action_server "$ACTION_PORT" "$LOGS/actions.log"
pids+=("$ACTION_PID")
wait_for_url "http://localhost:$ACTION_PORT/health" "action server" "$LOGS/actions.log" kill -0 "$ACTION_PID"

ensure_gateway_secret "${BACKCARE_VAR:-var}"
api_args=()  # the HTTP API (trackers, model) only with a token, which Rasa takes from
# the environment (backcare_rasa/__main__.py), never from its command line
if [ -n "${RASA_API_TOKEN:-}" ]; then api_args=(--enable-api); fi
mapfile -t cors < <(cors_origins "http://localhost:$WEB_PORT")
echo "One Rasa server on this machine's SQLite store. With PostgreSQL and Redis"
echo "(BACKCARE_ENDPOINTS=endpoints.scale.yml) make run starts two, behind nginx: faster."
echo "Starting the Rasa server on port $RASA_PORT (log: $LOGS/rasa.log; about 30-60 s)"
"${RASA_CMD[@]}" run --model "$MODEL" --port "$RASA_PORT" "${api_args[@]}" \
  --credentials credentials.yml --endpoints "${BACKCARE_ENDPOINTS:-endpoints.yml}" \
  --cors "${cors[@]}" >"$LOGS/rasa.log" 2>&1 &
pids+=("$!")
wait_for_url "http://localhost:$RASA_PORT/" "Rasa server" "$LOGS/rasa.log" kill -0 "$!"

"$VENV/bin/python" scripts/operate/console.py >"$LOGS/console.log" 2>&1 &
pids+=("$!")
wait_for_url "http://127.0.0.1:${CONSOLE_PORT:-8090}/login" "staff console" "$LOGS/console.log" kill -0 "$!"

if [ -d web ]; then
  "$VENV/bin/python" scripts/operate/serve_web.py --port "$WEB_PORT" >"$LOGS/web.log" 2>&1 &
  pids+=("$!")
  wait_for_url "http://localhost:$WEB_PORT/" "web page" "$LOGS/web.log" kill -0 "$!"
fi

cat <<MSG

BackCare is running.
  Web chat:   http://localhost:$WEB_PORT/
  REST:       curl -s -XPOST localhost:$RASA_PORT/webhooks/rest/webhook \\
                -H 'Content-Type: application/json' -d '{"sender":"me","message":"hello"}'
  Terminal:   make shell   (in another terminal)
  Staff:      http://127.0.0.1:${CONSOLE_PORT:-8090}/  (first: make staff-user NAME=you)
Press Ctrl-C to stop.
MSG
wait -n "${pids[@]}"
echo "A BackCare process exited; see $LOGS/." >&2
exit 1
