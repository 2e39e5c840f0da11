#!/usr/bin/env bash
# Installs (when missing) and starts PostgreSQL and Redis from Debian's packages on 127.0.0.1, for CI and for
# developers who want the production-shaped setup. Prints the two URLs to export. Needs root (apt-get).
set -euo pipefail

if ! command -v pg_ctlcluster >/dev/null || ! command -v redis-server >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y postgresql redis-server
fi

version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | grep -q "^$version main"; then
  pg_createcluster "$version" main
fi
if ! pg_lsclusters -h | grep -q "^$version main .* online"; then
  pg_ctlcluster "$version" main start
fi
for _ in $(seq 1 30); do
  su postgres -c "psql -h 127.0.0.1 -tAc 'select 1'" >/dev/null 2>&1 && break
  su postgres -c "psql -tAc \"alter user postgres password 'postgres'\"" >/dev/null 2>&1 || true
  sleep 1
done
su postgres -c "psql -tAc \"alter user postgres password 'postgres'\"" >/dev/null
# The test suite runs two files at once, each with its own database and pool, and its race tests open many
# connections in parallel: the default 100 is too few for two of them together.
if [ "$(su postgres -c "psql -tAc 'show max_connections'")" -lt 300 ]; then
  su postgres -c "psql -tAc 'alter system set max_connections = 300'" >/dev/null
  pg_ctlcluster "$version" main restart
  for _ in $(seq 1 30); do
    su postgres -c "psql -h 127.0.0.1 -tAc 'select 1'" >/dev/null 2>&1 && break
    sleep 1
  done
fi

if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no --maxmemory-policy noeviction
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 0.2; done
fi
redis-cli -h 127.0.0.1 ping >/dev/null

echo "export DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/postgres"
echo "export REDIS_URL=redis://127.0.0.1:6379"
