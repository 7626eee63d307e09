#!/usr/bin/env bash
# slurm-scaling.sh — the same zero-shot job as a 1-task and as a 2-task SLURM array, timed back to back, with the
# machine's own parallel efficiency (one CPU-bound loop alone, then two at once) measured in the same run.
#
#   SLURM_CONF=… scripts/slurm-scaling.sh OUT [ARCHS] [DATA]     # ARCHS default deiso:48; DATA ../shared/data/cifar10
#
# Writes OUT/array-1 and OUT/array-2 (the merged zero-shot runs, which must be byte-identical: checked), their
# OUT/array-*.slurm work folders (scripts, logs) and OUT/timings.csv. PAUSE_PID=<pid> stops that process (SIGSTOP)
# for the measurement and resumes it afterwards (SIGCONT), so that another job on the machine does not skew it.
set -euo pipefail
OUT=${1:?usage: slurm-scaling.sh OUT [ARCHS] [DATA]}
ARCHS=${2:-deiso:48}
DATA=${3:-../shared/data/cifar10}
cd "$(dirname "$0")/.."
[ -n "${SLURM_CONF:-}" ] || { echo "slurm-scaling.sh: SLURM_CONF is not set (scripts/local-slurm.sh start)" >&2; exit 2; }
[ ! -e "$OUT" ] || { echo "slurm-scaling.sh: $OUT exists" >&2; exit 2; }
mkdir -p "$OUT"
if [ -n "${PAUSE_PID:-}" ]; then
  kill -STOP "$PAUSE_PID"
  trap 'kill -CONT "$PAUSE_PID"' EXIT
  sleep 2
fi
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
spin() { node -e 'const t=Date.now();let x=0;for(let i=0;i<4e8;i++)x=(x+i*i)%1000003;console.log(((Date.now()-t)/1000).toFixed(2))'; }
{
  echo "what,tasks,wall_s"
  echo "cpu_loop,1,$(spin)"
  for s in $( (spin & spin; wait) ); do echo "cpu_loop_of_two,2,$s"; done
  for n in 1 2; do
    s=$(now)
    node dist/cli/bin.js slurm submit --array "$n" --cpus-per-task 1 --wait --wait-timeout 30 -- \
      zeroshot score --data "$DATA" --archs "$ARCHS" --workers 1 --threads 1 --backend torch \
      --out "$OUT/array-$n" --quiet >&2
    echo "zeroshot_array,$n,$(secs "$s" "$(now)")"
  done
} | tee "$OUT/timings.csv"
for f in scores.csv zeroshot.json; do
  cmp "$OUT/array-1/$f" "$OUT/array-2/$f" || { echo "slurm-scaling.sh: $f differs between the arrays" >&2; exit 1; }
done
echo "slurm-scaling.sh: array-1 and array-2 agree byte for byte (scores.csv, zeroshot.json)" >&2
