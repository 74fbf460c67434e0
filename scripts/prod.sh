#!/usr/bin/env bash
# make prod: BackCare's production topology on one machine, from the project's own
# files. nginx on PROXY_PORT in front of the chat page, two Rasa servers on
# PostgreSQL (conversations) and Redis (locks) and the action server; the staff
# console on 127.0.0.1:CONSOLE_PORT.
# A Rasa server that exits is started again (as a container runtime would), so
# one can be stopped for an upgrade while the other answers. Ctrl-C stops all.
#   scripts/prod.sh            start and supervise (make prod)
#   scripts/prod.sh upgrade    restart the Rasa servers one at a time (new model)
#   scripts/prod.sh rotate-token   new API token, then the same rolling restart
#   scripts/prod.sh rotate-logs    rotate var/log/ now (otherwise every 10 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
VAR=${BACKCARE_VAR:-var}
RUN=$VAR/prod
mkdir -p "$VAR/log"
LOGS=$(cd "$VAR/log" && pwd)
PROXY_PORT=${PROXY_PORT:-8000} RASA_PORT=${RASA_PORT:-5005} RASA_PORT_2=${RASA_PORT_2:-5015}
ACTION_PORT=${ACTION_PORT:-5055} WEB_PORT=${WEB_PORT:-8080}
export PROXY_PORT RASA_PORT RASA_PORT_2 ACTION_PORT WEB_PORT
export BACKCARE_ENDPOINTS=endpoints.scale.yml
# The page and the Rasa servers share nginx's origin: the widget connects to it.
export BACKCARE_SOCKET_URL=same-origin WEB_HOST=127.0.0.1
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
TOKEN_FILE=$RUN/api-token

# render_nginx [N]: deploy/nginx/backcare.conf.template with this machine's
# addresses; Rasa server N (if given) marked down, so nginx sends it nothing.
render_nginx() {
  local down1="" down2=""
  if [ "${1:-}" = 1 ]; then down1=" down"; elif [ "${1:-}" = 2 ]; then down2=" down"; fi
  RASA_1_ADDR="127.0.0.1:$RASA_PORT$down1" RASA_2_ADDR="127.0.0.1:$RASA_PORT_2$down2" \
  WEB_ADDR=127.0.0.1:$WEB_PORT NGINX_PORT=$PROXY_PORT NGINX_ACCESS_LOG=$LOGS/nginx-access.log \
    envsubst '${RASA_1_ADDR} ${RASA_2_ADDR} ${WEB_ADDR} ${NGINX_PORT} ${NGINX_ACCESS_LOG}' \
    <deploy/nginx/backcare.conf.template >"$RUN/nginx/backcare.conf"
}

reload_nginx() {
  "$NGINX" -p "$(cd "$RUN/nginx" && pwd)/" -c nginx.conf -s reload
  sleep 2  # old workers finish what they were sending to the drained server
}

replica_port() { if [ "$1" = 1 ]; then echo "$RASA_PORT"; else echo "$RASA_PORT_2"; fi; }

# rolling_restart: for each Rasa server in turn, nginx stops sending it
# messages, it is stopped, the supervisor starts it again (current model and
# token), and once it answers nginx sends it messages again.
rolling_restart() {
  for n in 1 2; do
    local old port
    old=$(cat "$RUN/rasa-$n.pid") port=$(replica_port "$n")
    echo "Restarting Rasa server $n (port $port); the other one answers meanwhile"
    render_nginx "$n"; reload_nginx
    kill "$old"
    while kill -0 "$old" 2>/dev/null; do sleep 1; done
    until [ "$(cat "$RUN/rasa-$n.pid")" != "$old" ]; do sleep 1; done
    wait_for_url "http://127.0.0.1:$port/" "Rasa server $n" "$RUN/rasa-$n.pid" "$LOGS/rasa-$n.log"
    render_nginx; reload_nginx
  done
  echo "Both Rasa servers restarted."
}

new_token() {
  umask 077
  "$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(32))' >"$TOKEN_FILE"
}

case "${1:-start}" in
  upgrade) rolling_restart; exit ;;
  rotate-token)
    if [ -n "${RASA_API_TOKEN:-}" ]; then
      echo "error: RASA_API_TOKEN is set in the environment; change it there and run: scripts/prod.sh upgrade" >&2
      exit 1
    fi
    new_token; echo "New API token in $TOKEN_FILE"; rolling_restart; exit ;;
  rotate-logs) logrotate -f -s "$RUN/logrotate.state" "$RUN/logrotate.conf"; exit ;;
  start) ;;
  *) echo "usage: scripts/prod.sh [start|upgrade|rotate-token|rotate-logs]" >&2; exit 2 ;;
esac

[ -x "$NGINX" ] || { echo "error: nginx is not installed (Debian: apt-get install nginx)" >&2; exit 1; }
echo "Checking PostgreSQL and Redis"
if ! "$VENV/bin/python" scripts/health.py --stores --create-database; then
  echo "error: make prod needs PostgreSQL and Redis (POSTGRES_* and REDIS_* settings, .env.example)" >&2
  exit 1
fi

mkdir -p "$RUN/nginx/tmp"
if [ -n "${RASA_API_TOKEN:-}" ]; then
  (umask 077; printf '%s\n' "$RASA_API_TOKEN" >"$TOKEN_FILE")
elif [ ! -s "$TOKEN_FILE" ]; then
  new_token
fi

ensure_gateway_secret "$RUN"

# nginx and logrotate: the files in deploy/, with this machine's addresses and paths.
render_nginx
cp deploy/nginx/nginx.conf "$RUN/nginx/nginx.conf"
LOG_DIR=$LOGS envsubst '${LOG_DIR}' <deploy/logrotate.conf >"$RUN/logrotate.conf"
chmod 644 "$RUN/logrotate.conf"

cleanup() {
  trap - INT TERM EXIT
  echo; echo "Stopping BackCare..."
  for file in "$RUN"/*.pid; do
    if [ -e "$file" ]; then kill "$(cat "$file")" 2>/dev/null || true; fi
  done
  wait 2>/dev/null || true
  rm -f "$RUN"/*.pid
  echo "BackCare stopped."
}
trap cleanup INT TERM EXIT

start_rasa() {
  local n=$1 port
  port=$(replica_port "$n")
  mapfile -t cors < <(cors_origins "http://localhost:$PROXY_PORT")
  "${RASA_CMD[@]}" run --model "$MODEL" --interface 127.0.0.1 --port "$port" \
    --enable-api --auth-token="$(cat "$TOKEN_FILE")" \
    --credentials credentials.yml --endpoints "$BACKCARE_ENDPOINTS" \
    --cors "${cors[@]}" >>"$LOGS/rasa-$n.log" 2>&1 &
  echo $! >"$RUN/rasa-$n.pid"
}

echo "Starting the action server on port $ACTION_PORT"
start_action_server "$ACTION_PORT" "$LOGS/actions.log"
echo "$ACTION_PID" >"$RUN/actions.pid"
wait_for_url "http://127.0.0.1:$ACTION_PORT/health" "action server" "$RUN/actions.pid" "$LOGS/actions.log"

echo "Starting two Rasa servers on ports $RASA_PORT and $RASA_PORT_2 (about a minute)"
start_rasa 1
start_rasa 2
"$VENV/bin/python" scripts/serve_web.py --port "$WEB_PORT" >>"$LOGS/web.log" 2>&1 &
echo $! >"$RUN/web.pid"
# The staff console reads the same PostgreSQL store; on 127.0.0.1 only, not behind nginx.
BACKCARE_TRACKER_URL="postgresql://$POSTGRES_USER${POSTGRES_PASSWORD:+:$POSTGRES_PASSWORD}@$POSTGRES_HOST:$POSTGRES_PORT/$POSTGRES_DB" \
  "$VENV/bin/python" scripts/console.py >>"$LOGS/console.log" 2>&1 &
echo $! >"$RUN/console.pid"
echo "Waiting for the Rasa servers to load the model (about a minute; longer on a busy machine)"
wait_for_url "http://127.0.0.1:$RASA_PORT/" "Rasa server 1" "$RUN/rasa-1.pid" "$LOGS/rasa-1.log"
wait_for_url "http://127.0.0.1:$RASA_PORT_2/" "Rasa server 2" "$RUN/rasa-2.pid" "$LOGS/rasa-2.log"
wait_for_url "http://127.0.0.1:$WEB_PORT/" "web page" "$RUN/web.pid" "$LOGS/web.log"
wait_for_url "http://127.0.0.1:${CONSOLE_PORT:-8090}/login" "staff console" "$RUN/console.pid" "$LOGS/console.log"

"$NGINX" -p "$(cd "$RUN/nginx" && pwd)/" -c nginx.conf \
  -g "daemon off; error_log $LOGS/nginx-error.log warn;" &
echo $! >"$RUN/nginx.pid"
wait_for_url "http://127.0.0.1:$PROXY_PORT/health" "nginx" "$RUN/nginx.pid" "$LOGS/nginx-error.log"

cat <<MSG

BackCare (production setup, BACKCARE_ENV=${BACKCARE_ENV:-development}) is running.
  Web chat:   http://localhost:$PROXY_PORT/
  REST:       curl -s -XPOST localhost:$PROXY_PORT/webhooks/rest/webhook \\
                -H 'Content-Type: application/json' -d '{"sender":"me","message":"hello"}'
  API token:  $TOKEN_FILE   (conversations API: /conversations/<id>/tracker?token=...)
  Staff:      http://127.0.0.1:${CONSOLE_PORT:-8090}/  (this machine only; first: make staff-user NAME=you)
  Health:     make health   Logs: $VAR/log/
Press Ctrl-C to stop.
MSG

# Supervise: restart a Rasa server that exited; stop everything if another piece did.
checks=0
while true; do
  sleep 2
  for n in 1 2; do
    if ! kill -0 "$(cat "$RUN/rasa-$n.pid")" 2>/dev/null; then
      echo "$(date -u +%FT%TZ) Rasa server $n exited; starting it again"
      start_rasa "$n"
    fi
  done
  for piece in actions web console nginx; do
    if ! kill -0 "$(cat "$RUN/$piece.pid")" 2>/dev/null; then
      echo "error: the $piece process exited; see $VAR/log/. Stopping." >&2
      exit 1
    fi
  done
  checks=$((checks + 1))
  if [ $((checks % 300)) = 0 ]; then  # every 10 minutes
    logrotate -s "$RUN/logrotate.state" "$RUN/logrotate.conf" || true
  fi
done
