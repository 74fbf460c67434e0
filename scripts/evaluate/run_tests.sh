#!/usr/bin/env bash
# Dialogue tests (rasa test) and held-out NLU check, then every pytest test.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/operate/lib.sh
mkdir -p results/logs
port=${TEST_ACTION_PORT:-5155}
start_action_server "$port" results/logs/actions-rasa-test.log
trap 'kill "$ACTION_PID" 2>/dev/null || true' EXIT
wait_for_url "http://localhost:$port/health" "action server" results/logs/actions-rasa-test.log kill -0 "$ACTION_PID"

echo "== rasa test: conversation stories"
"${RASA_CMD[@]}" test core --model "$MODEL" --stories tests/stories \
  --endpoints endpoints.yml --out results/core --fail-on-prediction-errors
echo "== rasa test: held-out NLU examples"
"${RASA_CMD[@]}" test nlu --model "$MODEL" --nlu tests/nlu/heldout.yml --out results/nlu >results/logs/nlu-test.log 2>&1 \
  || { tail -30 results/logs/nlu-test.log; exit 1; }
"$VENV/bin/python" scripts/evaluate/check_nlu.py results/nlu
kill "$ACTION_PID" 2>/dev/null || true

echo "== pytest"
"$VENV/bin/python" -m pytest tests -ra --durations=15
