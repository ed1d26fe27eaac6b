#!/usr/bin/env bash
# Starts the job worker beside the web server and stops both together. Once the server answers,
# the demo's users are printed in a box, after the start messages, so they stay in view.
set -euo pipefail
port="${1:-8000}"
py=.venv/bin/python

answers() { (echo >"/dev/tcp/127.0.0.1/${port}") 2>/dev/null; }

if answers; then
  echo "El puerto ${port} ya está en uso: detenga lo que lo ocupa o use otro (make run PORT=8001)." >&2
  exit 1
fi

# Neither reloads on code changes (restart make run instead): a reloader's child would outlive
# the script when it stops.
$py manage.py db_worker --queue-name '*' --no-reload &
worker=$!
$py manage.py runserver "127.0.0.1:${port}" --noreload &
server=$!
# Background jobs of a script ignore Ctrl+C: stopping the script stops them.
trap 'kill "$worker" "$server" 2>/dev/null || true' EXIT
trap 'exit 130' INT TERM

for _ in $(seq 1 150); do
  # A server that could not start ends the script with its error.
  kill -0 "$server" 2>/dev/null || wait "$server"
  answers && break
  sleep 0.2
done
$py manage.py demo_users --url "http://127.0.0.1:${port}/"
wait "$server"
