# Shared helpers for BackCare's scripts (sourced, not run).
VENV=${VENV:-.venv}
# BackCare's rasa command: Rasa's CLI with the action-client fallback (backcare_rasa).
RASA_CMD=("$VENV/bin/python" -m backcare_rasa)
MODEL=${MODEL:-models/backcare.tar.gz}

# wait_for_url URL SECONDS NAME: poll until the URL answers, or fail.
wait_for_url() {
  local url=$1 limit=$2 name=$3 waited=0
  until curl -sf -o /dev/null "$url"; do
    sleep 1; waited=$((waited + 1))
    if [ "$waited" -ge "$limit" ]; then
      echo "error: $name did not answer at $url within ${limit}s" >&2
      return 1
    fi
  done
}

# start_action_server PORT LOGFILE: run it in the background of this shell (so
# `wait` and traps see it), appending to LOGFILE; put its PID in ACTION_PID and
# point ACTION_ENDPOINT_URL (read by endpoints.yml) at it, so the Rasa server this
# shell starts calls this action server whatever ACTION_PORT is. `python -m rasa_sdk`
# is what `rasa run actions` runs, without loading Rasa itself: 40 MB and 0.5 s
# to ready instead of 122 MB and 1.7 s (make bench).
start_action_server() {
  # Keep connections open longer than Rasa's client reuses them (Sanic's default is 5 s).
  SANIC_KEEP_ALIVE_TIMEOUT=${SANIC_KEEP_ALIVE_TIMEOUT:-75} \
  "$VENV/bin/python" -m rasa_sdk --port "$1" --actions actions >>"$2" 2>&1 &
  ACTION_PID=$!
  export ACTION_ENDPOINT_URL="http://127.0.0.1:$1/webhook"
}

# cors_origins DEFAULT: print BACKCARE_CORS_ORIGINS (space-separated; DEFAULT when
# unset) one origin per line, so `mapfile` hands each to --cors as its own argument.
cors_origins() {
  local origins
  read -r -a origins <<<"${BACKCARE_CORS_ORIGINS:-$1}"
  printf '%s\n' "${origins[@]}"
}
