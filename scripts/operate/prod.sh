#!/usr/bin/env bash
# make prod: BackCare's production topology on one machine, from the project's own
# files. nginx on PROXY_PORT in front of the chat page, two Rasa servers on
# PostgreSQL (conversations) and Redis (locks) and the action server; the staff
# console on 127.0.0.1:CONSOLE_PORT. supervisord (deploy/supervisord.conf.template)
# runs them all and restarts any that exits, so one Rasa server can be stopped
# for an upgrade while the other answers. Ctrl-C stops all.
#   scripts/operate/prod.sh            start (make prod)
#   scripts/operate/prod.sh status     what supervisord runs, with pids and uptimes
#   scripts/operate/prod.sh upgrade    restart the Rasa servers one at a time (new model)
#   scripts/operate/prod.sh rotate-token   new API token, then the same rolling restart
#   scripts/operate/prod.sh rotate-logs    rotate var/log/ now (otherwise every 10 minutes)
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/operate/lib.sh
VAR=${BACKCARE_VAR:-var}
mkdir -p "$VAR/log"
LOGS=$(cd "$VAR/log" && pwd) RUN=$(cd "$VAR" && pwd)/prod  # made once the stores answer
PROXY_PORT=${PROXY_PORT:-8000} RASA_PORT=${RASA_PORT:-5005} RASA_PORT_2=${RASA_PORT_2:-5015}
ACTION_PORT=${ACTION_PORT:-5055} WEB_PORT=${WEB_PORT:-8080}
export PROXY_PORT RASA_PORT RASA_PORT_2 ACTION_PORT WEB_PORT
export BACKCARE_ENDPOINTS=endpoints.scale.yml
# The page and the Rasa servers share nginx's origin: the widget connects to it.
export BACKCARE_SOCKET_URL=same-origin WEB_HOST=127.0.0.1
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
TOKEN_FILE=$RUN/api-token
CONF=$RUN/supervisord.conf
ctl() { "$VENV/bin/supervisorctl" -c "$CONF" "$@"; }

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
  ctl signal HUP nginx >/dev/null
  sleep 2  # old workers finish what they were sending to the drained server
}

replica_port() { if [ "$1" = 1 ]; then echo "$RASA_PORT"; else echo "$RASA_PORT_2"; fi; }

# program_starting NAME: supervisord runs NAME or is starting it (again); false once
# it gave up on it (it exited at start three times) or supervisord is gone.
program_starting() {
  case $(ctl status "$1" 2>/dev/null | awk '{print $2}') in
    RUNNING|STARTING|BACKOFF) return 0 ;;
    *) return 1 ;;
  esac
}

# wait_for_program NAME URL: until URL answers while supervisord runs NAME.
wait_for_program() { wait_for_url "$2" "$1 program" "$LOGS/$1.log" program_starting "$1"; }

# rolling_restart: for each Rasa server in turn, nginx stops sending it
# messages, supervisord restarts it (current model and token), and once it
# answers nginx sends it messages again.
rolling_restart() {
  [ -S "$RUN/supervisor.sock" ] || { echo "error: make prod is not running" >&2; exit 1; }
  for n in 1 2; do
    echo "Restarting Rasa server $n (port $(replica_port "$n")); the other one answers meanwhile"
    render_nginx "$n"; reload_nginx
    ctl restart "rasa-$n" >/dev/null
    wait_for_program "rasa-$n" "http://127.0.0.1:$(replica_port "$n")/"
    render_nginx; reload_nginx
  done
  echo "Both Rasa servers restarted."
}

case "${1:-start}" in
  status) ctl status; exit ;;
  upgrade) rolling_restart; exit ;;
  rotate-token)
    if [ -n "${RASA_API_TOKEN:-}" ]; then
      echo "error: RASA_API_TOKEN is set in the environment; change it there and run: scripts/operate/prod.sh upgrade" >&2
      exit 1
    fi
    new_secret "$TOKEN_FILE"; echo "New API token in $TOKEN_FILE"; rolling_restart; exit ;;
  rotate-logs) logrotate -f -s "$RUN/logrotate.state" "$RUN/logrotate.conf"; exit ;;
  start) ;;
  *) echo "usage: scripts/operate/prod.sh [start|status|upgrade|rotate-token|rotate-logs]" >&2; exit 2 ;;
esac

[ -x "$NGINX" ] || { echo "error: nginx is not installed (Debian: apt-get install nginx)" >&2; exit 1; }
[ -x "$VENV/bin/supervisord" ] || { echo "error: supervisord is missing: make install" >&2; exit 1; }
if [ -S "$RUN/supervisor.sock" ] && ctl pid >/dev/null 2>&1; then
  echo "error: make prod is already running here ($VAR/prod); scripts/operate/prod.sh status" >&2
  exit 1
fi
echo "Checking PostgreSQL and Redis"
if ! "$VENV/bin/python" scripts/operate/health.py --stores --create-database; then
  echo "error: make prod needs PostgreSQL and Redis (POSTGRES_* and REDIS_* settings, .env.example)" >&2
  exit 1
fi

mkdir -p "$RUN/nginx/tmp"
# The Rasa servers read the token from this file (never from their command line).
if [ -n "${RASA_API_TOKEN:-}" ]; then
  (umask 077; printf '%s\n' "$RASA_API_TOKEN" >"$TOKEN_FILE")
elif [ ! -s "$TOKEN_FILE" ]; then
  new_secret "$TOKEN_FILE"
fi
unset RASA_API_TOKEN
export BACKCARE_API_TOKEN_FILE=$TOKEN_FILE
ensure_gateway_secret "$RUN"

# nginx, logrotate and supervisord: the files in deploy/, with this machine's addresses and paths.
render_nginx
cp deploy/nginx/nginx.conf "$RUN/nginx/nginx.conf"
LOG_DIR=$LOGS envsubst '${LOG_DIR}' <deploy/logrotate.conf >"$RUN/logrotate.conf"
chmod 644 "$RUN/logrotate.conf"
mapfile -t cors < <(cors_origins "http://localhost:$PROXY_PORT")
LOG_DIR=$LOGS RUN_DIR=$RUN ROOT_DIR=$PWD VENV_DIR=$(cd "$VENV" && pwd) MODEL=$MODEL NGINX=$NGINX \
CORS_ORIGINS="${cors[*]}" \
  envsubst '${LOG_DIR} ${RUN_DIR} ${ROOT_DIR} ${VENV_DIR} ${MODEL} ${NGINX} ${CORS_ORIGINS}
            ${ACTION_PORT} ${RASA_PORT} ${RASA_PORT_2} ${WEB_PORT}' \
  <deploy/supervisord.conf.template >"$CONF"

echo "Starting two Rasa servers (ports $RASA_PORT and $RASA_PORT_2), the action server" \
  "(port $ACTION_PORT), the web page, the staff console and nginx under supervisord"
export ACTION_ENDPOINT_URL="http://127.0.0.1:$ACTION_PORT/webhook"
"$VENV/bin/supervisord" -c "$CONF" &
SUPERVISOR=$!
cleanup() {
  trap - INT TERM EXIT
  echo; echo "Stopping BackCare..."
  kill -TERM "$SUPERVISOR" 2>/dev/null || true
  wait "$SUPERVISOR" 2>/dev/null || true
  echo "BackCare stopped."
}
trap cleanup INT TERM EXIT
until [ -S "$RUN/supervisor.sock" ]; do
  kill -0 "$SUPERVISOR" 2>/dev/null || { echo "error: supervisord did not start; $LOGS/supervisord.log" >&2; exit 1; }
  sleep 0.2
done

echo "Waiting for the Rasa servers to load the model (about a minute; longer on a busy machine)"
wait_for_program actions "http://127.0.0.1:$ACTION_PORT/health"
wait_for_program rasa-1 "http://127.0.0.1:$RASA_PORT/"
wait_for_program rasa-2 "http://127.0.0.1:$RASA_PORT_2/"
wait_for_program web "http://127.0.0.1:$WEB_PORT/"
wait_for_program console "http://127.0.0.1:${CONSOLE_PORT:-8090}/login"
wait_for_program nginx "http://127.0.0.1:$PROXY_PORT/health"

cat <<MSG

BackCare (production setup, BACKCARE_ENV=${BACKCARE_ENV:-development}) is running.
  Web chat:   http://localhost:$PROXY_PORT/
  REST:       curl -s -XPOST localhost:$PROXY_PORT/webhooks/rest/webhook \\
                -H 'Content-Type: application/json' -d '{"sender":"me","message":"hello"}'
  API token:  $TOKEN_FILE   (conversations API: /conversations/<id>/tracker?token=...)
  Staff:      http://127.0.0.1:${CONSOLE_PORT:-8090}/  (this machine only; first: make staff-user NAME=you)
  Health:     make health   Status: scripts/operate/prod.sh status   Logs: $VAR/log/
Press Ctrl-C to stop.
MSG
wait "$SUPERVISOR"
