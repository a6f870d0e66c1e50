#!/usr/bin/env bash
# `make run`: Rasa + the app on zero-setup defaults (SQLite, local Redis or an in-process stand-in).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var
[ -f .env ] && set -a && . ./.env && set +a
port="${GONGYOU_PORT:-8000}"
rasa_url="${GONGYOU_RASA_URL:-http://127.0.0.1:5005}"
rasa_port="${rasa_url##*:}"; rasa_port="${rasa_port%%/*}"
redis_url="${GONGYOU_REDIS_URL:-redis://127.0.0.1:6379/0}"

# Redis: use the one running, else start a local redis-server, else the app falls back in-process.
workers=2
if ! .venv/bin/python -c "import redis,sys; redis.Redis.from_url('$redis_url', socket_connect_timeout=1).ping()" 2>/dev/null; then
  if command -v redis-server >/dev/null && [[ "$redis_url" == redis://127.0.0.1:6379* || "$redis_url" == redis://localhost:6379* ]]; then
    echo "Starting a local redis-server (nothing kept on disk)..."
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no --dir "$PWD/var" --logfile "$PWD/var/redis.log"
  else
    echo "WARNING: no Redis reachable at $redis_url and no redis-server installed: the app will use an in-process stand-in (one worker)."
    workers=1
  fi
fi

model=$(scripts/train.sh)
if curl -fsS "$rasa_url/" >/dev/null 2>&1; then
  echo "Rasa already running at $rasa_url"
else
  echo "Starting Rasa on port $rasa_port (log: var/rasa.log)..."
  scripts/rasa_server.sh "$rasa_port" >var/rasa.log 2>&1 &
  rasa_pid=$!
  trap 'kill $rasa_pid 2>/dev/null || true' EXIT INT TERM
  for _ in $(seq 1 180); do
    if curl -fsS "$rasa_url/status?token=${GONGYOU_RASA_TOKEN:-gongyou-dev-rasa-token}" 2>/dev/null | grep -q model_file; then break; fi
    kill -0 $rasa_pid 2>/dev/null || { echo "Rasa failed to start; see var/rasa.log" >&2; tail -20 var/rasa.log >&2; exit 1; }
    sleep 1
  done
  curl -fsS -X POST "$rasa_url/model/parse?token=${GONGYOU_RASA_TOKEN:-gongyou-dev-rasa-token}" -d '{"text":"你好"}' >/dev/null || true
fi
echo "Model: $model"

.venv/bin/gongyou init-db
if [ "$workers" -gt 1 ]; then  # with real Redis: a background worker sends late answers and notifications
  echo "Starting the background worker (log: var/worker.log)..."
  .venv/bin/python -m bot.jobs >var/worker.log 2>&1 &
  worker_pid=$!
  trap 'kill ${rasa_pid:-} $worker_pid 2>/dev/null || true' EXIT INT TERM
fi
cat <<MSG

  Gongyou is up.
    WeChat webhook:  http://127.0.0.1:$port/wechat   (token: \$GONGYOU_WECHAT_TOKEN, default gongyou-dev-wechat-token)
    SMS webhook:     http://127.0.0.1:$port/sms      (Twilio auth token: \$GONGYOU_TWILIO_AUTH_TOKEN)
    Health:          http://127.0.0.1:$port/healthz
    Staff console:   http://127.0.0.1:$port/console/   (first account: .venv/bin/gongyou console create-user admin --role admin)
    JSON API:        http://127.0.0.1:$port/api/openapi.json
    Rasa:            $rasa_url
  Try it in a terminal: make chat     Stop: Ctrl-C

MSG
# The access log names the path only: query strings carry WeChat's signature, timestamp, nonce and openid.
# Its own control socket: gunicorn's default one is shared, so a second gunicorn would remove ours.
.venv/bin/gunicorn --bind "127.0.0.1:$port" --workers "$workers" --threads 4 --timeout 30 \
  --control-socket "$PWD/var/gunicorn-$port.ctl" --access-logfile - --access-logformat '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms' 'bot:create_app()'
