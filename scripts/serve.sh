#!/usr/bin/env bash
# Starts the job worker beside the web server and stops both together.
set -euo pipefail
port="${1:-8000}"
py=.venv/bin/python

$py manage.py db_worker --queue-name '*' &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM

$py manage.py demo_users
echo "Apoyo en http://127.0.0.1:${port}/  (Ctrl+C para detener)"
$py manage.py runserver "127.0.0.1:${port}" --noreload
