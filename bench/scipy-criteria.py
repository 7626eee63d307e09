"""scipy peer of the criteria benchmark (`npm run bench`, bench/scipy.ts): times scipy.stats.kendalltau and
scipy.stats.spearmanr on the very vectors nas-surgery times, in the same run.

Usage: python3 scipy-criteria.py FILE N WARMUP ROUNDS
  FILE holds 2*N little-endian float64 values: the score (N values), then the truth (N values).
Prints one JSON object on stdout:
  {"kendall_ms": median, "spearman_ms": median, "kendall": tau-b, "spearman": rho,
   "scipy": version, "numpy": version, "rounds": ROUNDS}
Each call is timed alone with time.perf_counter after WARMUP untimed calls (loading and parsing are not timed);
the medians are over ROUNDS timed calls.
"""
import json
import statistics
import sys
import time

import numpy as np
import scipy
from scipy.stats import kendalltau, spearmanr


def median_ms(fn, warmup, rounds):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main():
    path, n, warmup, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    data = np.fromfile(path, dtype="<f8")
    if data.size != 2 * n:
        raise SystemExit(f"{path}: expected {2 * n} float64 values, found {data.size}")
    score, truth = data[:n].copy(), data[n:].copy()
    print(
        json.dumps(
            {
                "kendall_ms": median_ms(lambda: kendalltau(score, truth), warmup, rounds),
                "spearman_ms": median_ms(lambda: spearmanr(score, truth), warmup, rounds),
                "kendall": float(kendalltau(score, truth).statistic),
                "spearman": float(spearmanr(score, truth).statistic),
                "scipy": scipy.__version__,
                "numpy": np.__version__,
                "rounds": rounds,
            }
        )
    )


if __name__ == "__main__":
    main()
