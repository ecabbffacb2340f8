#!/usr/bin/env bash
# A one-node Slurm cluster (munged, slurmctld, slurmd) in a state directory, for tests.
#
#   ci/slurm/cluster.sh start STATE_DIR   # prints "export SLURM_CONF=..." on success
#   ci/slurm/cluster.sh stop STATE_DIR    # stops exactly the processes start recorded
#
# Needs root and Debian's slurm-wlm and munge packages. The daemons are stopped by the
# process ids recorded in STATE_DIR/pids, never by name.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cmd="${1:-}"
state="${2:-}"
[ -n "$cmd" ] && [ -n "$state" ] || { echo "usage: $0 start|stop STATE_DIR" >&2; exit 2; }
mkdir -p "$state"
state="$(cd "$state" && pwd)"
pids="$state/pids"

stop() {
  [ -f "$pids" ] || return 0
  # Reverse order of start: slurmd, slurmctld, munged.
  for pid in $(tac "$pids"); do
    kill "$pid" 2>/dev/null || true
  done
  for pid in $(cat "$pids"); do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -f "$pids"
}

wait_pidfile() { # file -> pid
  for _ in $(seq 100); do
    if [ -s "$1" ]; then cat "$1"; return 0; fi
    sleep 0.1
  done
  echo "timed out waiting for $1" >&2
  return 1
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

start() {
  stop
  rm -rf "$state/munge" "$state/ctld" "$state/slurmd" "$state"/*.pid "$state"/*.log
  mkdir -p "$state/munge" "$state/ctld" "$state/slurmd"
  chmod 700 "$state/munge"
  host="$(hostname -s)"
  mem_mb=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 / 2 ))
  sed -e "s|@HOST@|$host|g" -e "s|@STATE@|$state|g" -e "s|@CPUS@|$(nproc)|g" \
      -e "s|@MEM_MB@|$mem_mb|g" -e "s|@CTLD_PORT@|$(free_port)|g" \
      -e "s|@SLURMD_PORT@|$(free_port)|g" "$here/slurm.conf.in" > "$state/slurm.conf"
  # A key of this cluster's own.
  dd if=/dev/urandom of="$state/munge/munge.key" bs=1024 count=1 status=none
  chmod 400 "$state/munge/munge.key"
  munged --force --key-file="$state/munge/munge.key" --socket="$state/munge/munge.socket" \
    --pid-file="$state/munge/munged.pid" --log-file="$state/munge/munged.log" \
    --seed-file="$state/munge/munged.seed"
  wait_pidfile "$state/munge/munged.pid" >> "$pids"
  export SLURM_CONF="$state/slurm.conf"
  slurmctld -f "$SLURM_CONF"
  wait_pidfile "$state/slurmctld.pid" >> "$pids"
  slurmd -f "$SLURM_CONF"
  wait_pidfile "$state/slurmd.pid" >> "$pids"
  # Ready when the node accepts work.
  for _ in $(seq 100); do
    if sinfo -h -N -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
      echo "export SLURM_CONF=$SLURM_CONF"
      return 0
    fi
    sleep 0.2
  done
  echo "the one-node cluster did not come up; logs in $state" >&2
  stop
  return 1
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop STATE_DIR" >&2; exit 2 ;;
esac
