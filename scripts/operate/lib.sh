# Shared helpers for BackCare's scripts (sourced, not run).
VENV=${VENV:-.venv}
# BackCare's rasa command: Rasa's CLI with the action-client fallback (backcare_rasa).
RASA_CMD=("$VENV/bin/python" -m backcare_rasa)
MODEL=${MODEL:-models/backcare.tar.gz}

# wait_for_url URL NAME LOG CHECK...: poll until the URL answers. Waits as long as
# the command CHECK... succeeds (the process is alive or being started: `kill -0
# PID`, or make prod's supervisord saying so), up to BACKCARE_START_TIMEOUT seconds
# (a busy machine can take minutes), saying every 15 s what it waits for. When
# CHECK fails, or at the limit, it fails with the last lines of LOG.
wait_for_url() {
  local url=$1 name=$2 log=$3 waited=0 limit=${BACKCARE_START_TIMEOUT:-900}
  shift 3
  until curl -sf -o /dev/null --max-time 10 "$url"; do
    if ! "$@" 2>/dev/null; then
      echo "error: the $name stopped before it answered at $url. Last lines of $log:" >&2
      tail -n 25 "$log" >&2 2>/dev/null
      return 1
    fi
    if [ "$waited" -ge "$limit" ]; then
      echo "error: the $name is still starting but did not answer at $url within ${limit}s" \
        "(BACKCARE_START_TIMEOUT). Last lines of $log:" >&2
      tail -n 25 "$log" >&2 2>/dev/null
      return 1
    fi
    if [ "$waited" -gt 0 ] && [ $((waited % 15)) -eq 0 ]; then
      echo "  still waiting for the $name (${waited}s; it is running, a busy machine takes longer)"
    fi
    sleep 1; waited=$((waited + 1))
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

# new_secret FILE: a new random secret in FILE, readable by its owner only.
new_secret() {
  (umask 077; "$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(32))' >"$1")
}

# ensure_gateway_secret DIR: the clinic gateway's shared secret (docs/channels.md).
# CALLBACK_SECRET or CALLBACK_SECRET_FILE from the environment wins; otherwise a
# random one is made once in DIR/callback-secret (mode 600) and passed to Rasa by
# file, never on a command line. Give the same secret to the clinic's gateway.
ensure_gateway_secret() {
  if [ -n "${CALLBACK_SECRET:-}" ] || [ -n "${CALLBACK_SECRET_FILE:-}" ]; then return 0; fi
  mkdir -p "$1"
  local file
  file="$(cd "$1" && pwd)/callback-secret"
  if [ ! -s "$file" ]; then
    new_secret "$file"
    echo "New shared secret for the clinic gateway in $file (give it to the gateway; docs/channels.md)"
  fi
  export CALLBACK_SECRET_FILE=$file
}
