#!/usr/bin/env bash
# local-slurm.sh — start/stop a throw-away single-node SLURM cluster on localhost.
#
# For the tests (.ci/run uses it, so the SLURM runner is exercised against a real scheduler) and for anyone who
# wants to try the SLURM path on a laptop. Needs SLURM (tested with Debian bookworm's slurm-wlm 22.05) and MUNGE.
# It never touches /etc/slurm, /etc/munge or the system munged: everything lives in one directory DIR.
#
#   eval "$(scripts/local-slurm.sh start [DIR])"   # DIR defaults to a fresh mktemp -d folder under $TMPDIR
#   sbatch --wrap hostname ...                       # clients only need SLURM_CONF (also in DIR/env)
#   scripts/local-slurm.sh stop DIR [--clean]        # --clean also removes DIR
#
# `start` writes DIR/slurm.conf, a munge key, state/spool dirs and logs (munged.log, slurmctld.log, slurmd.log;
# *.out hold the daemons' own stdout/stderr), starts munged, slurmctld and slurmd in the foreground (-F/-D) in
# the background, records their PIDs in DIR/pids, waits until the node is idle and the scheduler has run (~3 s),
# and prints exactly one line on stdout, `export SLURM_CONF=DIR/slurm.conf` (also written to DIR/env; everything
# else goes to stderr). `stop` cancels the cluster's jobs, sends SIGTERM to the recorded PIDs (checking they are
# still the processes started, not recycled PIDs), waits until they are gone and SIGKILLs what is left after a
# timeout; it is safe to repeat.
#
# Settings and why:
#   SlurmctldHost=localhost, NodeName=localhost NodeAddr=127.0.0.1 (slurmd -N localhost): independent of the
#     machine's hostname and network. The node's CPU layout is copied from `slurmd -C`; RealMemory is 90% of the
#     memory it reports, so the node never registers with less than configured (which would drain it).
#   AuthType=auth/munge + AuthInfo=socket=DIR/munge.socket: a private munged with its own key; the credential
#     plugin (cred/munge, the default) reads the same AuthInfo socket.
#   ProctrackType=proctrack/linuxproc, TaskPlugin=task/none: no cgroups needed (containers, laptops, CI).
#   JobAcctGatherType=jobacct_gather/none, AccountingStorageType=accounting_storage/none: no slurmdbd; finished jobs
#     go to JobCompType=jobcomp/filetxt (DIR/jobcomp.log) instead.
#   SelectType=select/cons_tres + CR_CPU: jobs are packed by CPU so array tasks run side by side; memory is not
#     a consumable resource (jobs need no --mem).
#   SchedulerParameters=batch_sched_delay=0: batch jobs start without the default scheduling delay.
#   MinJobAge: default 300 s (finished jobs stay visible to squeue/scontrol for 5 minutes, which `sbatch --wait`
#     and dependency checks rely on); override with SLURM_LOCAL_MIN_JOB_AGE.
#   ReturnToService=2: a node that was DOWN (e.g. slurmd restarted late) becomes usable again as soon as it
#     registers. MailProg=/usr/bin/true: no mail (must be a path; slurmctld rejects a bare name). MpiDefault=none
#     (slurmctld/slurmd still log that the pmix plugins cannot load; harmless). PlugStackConfig is an empty file in
#     DIR so host SPANK plugins are not loaded.
#   SlurmUser/SlurmdUser: the current user (root in CI; a non-root user can run it for their own jobs only).
#   Ports: 6817/6818 unless SLURM_LOCAL_CTLD_PORT / SLURM_LOCAL_SLURMD_PORT are set; when not set and a default is
#     taken, the next free pair is used.
#   slurmctld -c (fresh DIR: no state to recover) or -i (reused DIR: recover what can be read).
#
# Other environment: SLURM_LOCAL_START_TIMEOUT (seconds to wait for the node to be idle, default 30),
# SLURM_LOCAL_STOP_TIMEOUT (seconds per daemon before SIGKILL, default 15).
set -euo pipefail

PROG=$(basename "$0")
DAEMONS=(munged slurmctld slurmd)

log() { printf '%s: %s\n' "$PROG" "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}
usage() {
  cat >&2 <<EOF
usage: $PROG start [DIR]
       $PROG stop DIR [--clean]
EOF
  exit 2
}

# Start time (clock ticks since boot) of PID, field 22 of /proc/PID/stat; empty if gone.
start_time() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
  stat=${stat##*) } # drop "pid (comm) ", comm may contain spaces
  # shellcheck disable=SC2086
  set -- $stat
  printf '%s' "${20}"
}

# True if PID is alive and is still the process recorded (same comm and start time).
is_ours() {
  local pid=$1 name=$2 started=$3 comm
  [ -d "/proc/$pid" ] || return 1
  comm=$(cat "/proc/$pid/comm" 2>/dev/null) || return 1
  [ "$comm" = "${name:0:15}" ] || return 1
  [ -z "$started" ] || [ "$(start_time "$pid")" = "$started" ]
}

port_in_use() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# In the foreground the daemons copy their log to stderr (DIR/*.out), which also catches fatal errors from before
# the log file is opened; fall back to the log file.
tail_logs() {
  local dir=$1 d f
  for d in "${DAEMONS[@]}"; do
    f=$dir/$d.out
    [ -s "$f" ] || f=$dir/$d.log
    [ -s "$f" ] || continue
    printf -- '--- %s (last 15 lines) ---\n' "$f" >&2
    tail -n 15 "$f" >&2
  done
}

# ---------------------------------------------------------------------------------------------------------- stop

# Waits up to TIMEOUT seconds for NAME (PID, STARTED) to exit after a SIGTERM sent earlier, then SIGKILLs it.
wait_gone() {
  local name=$1 pid=$2 started=$3 timeout=$4 i
  for ((i = 0; i < timeout * 10; i++)); do
    is_ours "$pid" "$name" "$started" || {
      log "stopped $name (pid $pid)"
      return 0
    }
    sleep 0.1
  done
  log "$name (pid $pid) still running after ${timeout}s, sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    is_ours "$pid" "$name" "$started" || return 0
    sleep 0.1
  done
  log "warning: $name (pid $pid) did not exit after SIGKILL"
  return 1
}

cmd_stop() {
  local dir="" clean=0 arg
  for arg in "$@"; do
    case $arg in
      --clean) clean=1 ;;
      -*) usage ;;
      *) [ -z "$dir" ] || usage; dir=$arg ;;
    esac
  done
  [ -n "$dir" ] || usage
  local timeout=${SLURM_LOCAL_STOP_TIMEOUT:-15} status=0
  if [ -f "$dir/pids" ]; then
    local -A pid=() started=()
    local name p s
    while read -r name p s; do
      [ -n "$name" ] || continue
      pid[$name]=$p
      started[$name]=${s:-}
    done <"$dir/pids"
    # Cancel jobs first: slurmstepd (which runs the job) outlives slurmd, so left alone it would keep running.
    if [ -n "${pid[slurmctld]:-}" ] && is_ours "${pid[slurmctld]}" slurmctld "${started[slurmctld]}" &&
      [ -n "${pid[slurmd]:-}" ] && is_ours "${pid[slurmd]}" slurmd "${started[slurmd]}"; then
      local i jobs
      jobs=$(SLURM_CONF="$dir/slurm.conf" timeout 5 squeue -h -t PD,R,CG,S -o %i 2>/dev/null) || jobs=""
      if [ -n "$jobs" ]; then
        log "cancelling jobs: $(tr '\n' ' ' <<<"$jobs")"
        # shellcheck disable=SC2086
        SLURM_CONF="$dir/slurm.conf" timeout 5 scancel $jobs 2>/dev/null || true
        for ((i = 0; i < 100; i++)); do
          SLURM_CONF="$dir/slurm.conf" timeout 5 squeue -h -t PD,R,CG,S -o %i 2>/dev/null | grep -q . || break
          sleep 0.1
        done
      fi
    fi
    # slurmd and slurmctld together (each takes ~2 s to shut down), then munged, which they talk to until they exit.
    local group names
    for group in "slurmd slurmctld" munged; do
      names=()
      for name in $group; do
        [ -n "${pid[$name]:-}" ] || continue
        if is_ours "${pid[$name]}" "$name" "${started[$name]}"; then
          kill -TERM "${pid[$name]}" 2>/dev/null || true
          names+=("$name")
        else
          log "$name (pid ${pid[$name]}) is not running"
        fi
      done
      for name in "${names[@]}"; do
        wait_gone "$name" "${pid[$name]}" "${started[$name]}" "$timeout" || status=1
      done
    done
  else
    log "no $dir/pids: nothing to stop"
  fi
  if [ "$clean" = 1 ] && [ -d "$dir" ]; then
    rm -rf -- "$dir"
    log "removed $dir"
  fi
  return "$status"
}

# --------------------------------------------------------------------------------------------------------- start

STARTED_DIR=""
on_start_error() {
  local rc=$?
  [ "$rc" != 0 ] || return 0
  if [ -n "$STARTED_DIR" ]; then
    tail_logs "$STARTED_DIR"
    log "start failed; stopping what was started (files kept in $STARTED_DIR)"
    SLURM_LOCAL_STOP_TIMEOUT=5 cmd_stop "$STARTED_DIR" >&2 || true
  fi
  exit "$rc"
}

# Runs "$@" detached (own session, no terminal, stdout/stderr to OUT) and records NAME PID STARTTIME.
spawn() {
  local dir=$1 name=$2 out=$3
  shift 3
  setsid "$@" </dev/null >>"$out" 2>&1 &
  local pid=$!
  local i comm=""
  # Without job control a background job is not a process-group leader, so setsid execs in place and $! is the
  # daemon itself; wait for the exec so the start time and comm recorded are the daemon's.
  for ((i = 0; i < 50; i++)); do
    comm=$(cat "/proc/$pid/comm" 2>/dev/null) || break
    [ "$comm" = "$name" ] && break
    sleep 0.05
  done
  [ "$comm" = "$name" ] || die "$name did not start (see $out)"
  printf '%s %s %s\n' "$name" "$pid" "$(start_time "$pid")" >>"$dir/pids"
  log "started $name (pid $pid)"
}

pid_of() { awk -v n="$2" '$1 == n { print $2 }' "$1/pids"; }

cmd_start() {
  [ $# -le 1 ] || usage
  local dir
  if [ $# = 1 ]; then
    dir=$1
    mkdir -p -- "$dir"
  else
    dir=$(mktemp -d "${TMPDIR:-/tmp}/nas-slurm.XXXXXX")
  fi
  dir=$(cd -- "$dir" && pwd -P)
  case $dir in *[[:space:]]* | *'"'* | *"'"* | *'#'* | *'='* | *','*)
    die "DIR must not contain whitespace, quotes, '#', '=' or ',' (slurm.conf/AuthInfo cannot quote them): $dir"
    ;;
  esac
  local d
  for d in slurmctld slurmd munged mungekey sinfo scontrol; do
    command -v "$d" >/dev/null || die "$d not found (install slurm-wlm and munge)"
  done
  if [ -f "$dir/pids" ]; then
    local name p s
    while read -r name p s; do
      [ -n "$name" ] || continue
      ! is_ours "$p" "$name" "$s" || die "a cluster is already running from $dir ($name pid $p); stop it first"
    done <"$dir/pids"
    rm -f -- "$dir/pids"
  fi

  local fresh=1
  [ ! -d "$dir/state" ] || [ -z "$(ls -A "$dir/state")" ] || fresh=0
  mkdir -p "$dir/state" "$dir/spool"
  # 0711: others may reach the munge socket and slurm.conf by path (a user submitting to root's cluster), not list.
  chmod 0711 "$dir"

  # Ports: explicit ones must be free; otherwise the first free pair from 6817/6818.
  local ctld_port slurmd_port
  if [ -n "${SLURM_LOCAL_CTLD_PORT:-}" ] || [ -n "${SLURM_LOCAL_SLURMD_PORT:-}" ]; then
    ctld_port=${SLURM_LOCAL_CTLD_PORT:-6817}
    slurmd_port=${SLURM_LOCAL_SLURMD_PORT:-6818}
    ! port_in_use "$ctld_port" || die "port $ctld_port (SLURM_LOCAL_CTLD_PORT) is in use"
    ! port_in_use "$slurmd_port" || die "port $slurmd_port (SLURM_LOCAL_SLURMD_PORT) is in use"
  else
    ctld_port=6817
    while port_in_use "$ctld_port" || port_in_use "$((ctld_port + 1))"; do
      ctld_port=$((ctld_port + 2))
      [ "$ctld_port" -lt 6917 ] ||
        die "no free port pair in 6817-6916; set SLURM_LOCAL_CTLD_PORT/SLURM_LOCAL_SLURMD_PORT"
    done
    slurmd_port=$((ctld_port + 1))
    [ "$ctld_port" = 6817 ] || log "ports 6817/6818 are taken, using $ctld_port/$slurmd_port"
  fi

  # Node layout from slurmd -C (first line: NodeName=... CPUs=... Boards=... RealMemory=...).
  local hw cpus boards sockets cores threads mem
  hw=$(SLURM_CONF=/dev/null slurmd -C 2>/dev/null | head -n 1) || true
  field() { sed -n "s/.*[[:space:]]$1=\([0-9][0-9]*\).*/\1/p" <<<"$hw"; }
  cpus=$(field CPUs)
  boards=$(field Boards)
  sockets=$(field SocketsPerBoard)
  cores=$(field CoresPerSocket)
  threads=$(field ThreadsPerCore)
  mem=$(field RealMemory)
  if [ -z "$cpus" ] || [ -z "$mem" ]; then die "could not read the node's layout from 'slurmd -C': $hw"; fi
  mem=$((mem * 9 / 10))
  [ "$mem" -ge 1 ] || mem=1

  local user
  user=$(id -un)
  : >"$dir/plugstack.conf"
  cat >"$dir/slurm.conf" <<EOF
# Written by $PROG on $(date -u +%Y-%m-%dT%H:%M:%SZ); see the script's header for the reasons.
ClusterName=local
SlurmctldHost=localhost
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/munge
AuthInfo=socket=$dir/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
PlugStackConfig=$dir/plugstack.conf
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$dir/jobcomp.log
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerParameters=batch_sched_delay=0
MinJobAge=${SLURM_LOCAL_MIN_JOB_AGE:-300}
ReturnToService=2
MpiDefault=none
MailProg=$(type -P true)
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus${boards:+ Boards=$boards}${sockets:+ SocketsPerBoard=$sockets}${cores:+ CoresPerSocket=$cores}${threads:+ ThreadsPerCore=$threads} RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
  printf 'export SLURM_CONF=%q\n' "$dir/slurm.conf" >"$dir/env"

  STARTED_DIR=$dir
  trap on_start_error EXIT
  local t0 timeout=${SLURM_LOCAL_START_TIMEOUT:-30}
  t0=$(date +%s%N)

  # munged: private key, socket, pid, seed and log files in DIR. --force: run as root and tolerate the sticky /tmp.
  if [ ! -f "$dir/munge.key" ]; then
    mungekey --create --keyfile "$dir/munge.key" >&2
  fi
  chmod 0400 "$dir/munge.key"
  rm -f -- "$dir/munge.socket" "$dir/munge.socket.lock"
  spawn "$dir" munged "$dir/munged.out" munged --foreground --force \
    --socket="$dir/munge.socket" --key-file="$dir/munge.key" --pid-file="$dir/munged.pid" \
    --seed-file="$dir/munged.seed" --log-file="$dir/munged.log"
  local i
  for ((i = 0; ; i++)); do
    [ -S "$dir/munge.socket" ] && break
    [ -d "/proc/$(pid_of "$dir" munged)" ] || die "munged exited"
    ((i < timeout * 10)) || die "munged did not create $dir/munge.socket within ${timeout}s"
    sleep 0.1
  done

  export SLURM_CONF=$dir/slurm.conf
  local log_offset=0
  [ ! -f "$dir/slurmctld.log" ] || log_offset=$(stat -c %s "$dir/slurmctld.log")
  local ctld_flags=(-D -i)
  [ "$fresh" = 0 ] || ctld_flags=(-D -c)
  spawn "$dir" slurmctld "$dir/slurmctld.out" slurmctld "${ctld_flags[@]}" -f "$SLURM_CONF"
  spawn "$dir" slurmd "$dir/slurmd.out" slurmd -D -N localhost -f "$SLURM_CONF"

  local state=""
  for ((i = 0; ; i++)); do
    for d in "${DAEMONS[@]}"; do
      [ -d "/proc/$(pid_of "$dir" "$d")" ] || die "$d exited during start"
    done
    if timeout 5 scontrol ping 2>/dev/null | grep -q 'is UP'; then
      state=$(timeout 5 sinfo -h -n localhost -o %T 2>/dev/null | head -n 1) || state=""
      # slurmctld's first scheduling pass comes ~3 s after it starts and logs "SchedulerParameters=..."; a job
      # submitted before that sits PENDING until then, so wait for it too.
      if [ "$state" = idle ]; then
        tail -c +$((log_offset + 1)) "$dir/slurmctld.log" 2>/dev/null | grep -q 'SchedulerParameters=' && break
        state="idle, waiting for slurmctld's first scheduling pass"
      fi
    fi
    ((i < timeout * 10)) ||
      die "cluster not ready within ${timeout}s (node state: ${state:-no answer from slurmctld})"
    sleep 0.1
  done
  trap - EXIT
  log "cluster up in $((($(date +%s%N) - t0) / 1000000))ms: node localhost idle, scheduler running," \
    "${cpus} CPUs, ports $ctld_port/$slurmd_port"
  log "state, logs and pids in $dir; stop with: $0 stop $dir [--clean]"
  cat "$dir/env"
}

case ${1:-} in
  start)
    shift
    cmd_start "$@"
    ;;
  stop)
    shift
    cmd_stop "$@"
    ;;
  *) usage ;;
esac
