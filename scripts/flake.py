"""`make flake`: the browser tests many times in a row under CPU load, to prove they do not flake.

Each run is one pytest session of every browser test, in pytest-xdist workers as `make test` runs
them, while one busy-looping process per core keeps the machine as loaded as a busy CI runner.
After each run a line says how it went; the last line sums up all runs. Exits non-zero if any run
failed. `--budget` (minutes) stops starting new runs once it is spent, and the last line says how
many of the asked runs were made.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def burn() -> None:
    while True:
        pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--burners", type=int, default=os.cpu_count() or 2)
    parser.add_argument(
        "--workers", default="auto", help="pytest-xdist workers (as make test uses; 0: none)"
    )
    parser.add_argument("--budget", type=float, default=0, help="minutes; 0: no limit")
    parser.add_argument("pytest_args", nargs="*", help="more pytest arguments")
    args = parser.parse_args()

    burners = [multiprocessing.Process(target=burn, daemon=True) for _ in range(args.burners)]
    for burner in burners:
        burner.start()
    started = time.monotonic()
    made, failed = 0, []
    try:
        for run in range(1, args.runs + 1):
            if args.budget and (time.monotonic() - started) / 60 >= args.budget:
                break
            result = subprocess.run(
                [
                    sys.executable, "-m", "pytest", "-m", "browser", "-p", "no:cacheprovider",
                    "-q", "-n", args.workers, "--dist", "loadgroup", *args.pytest_args,
                ],
                cwd=ROOT,
            )  # fmt: skip
            made += 1
            if result.returncode != 0:
                failed.append(run)
            minutes = (time.monotonic() - started) / 60
            print(f"flake: run {run} of {args.runs}: exit {result.returncode} ({minutes:.1f} min)")
    finally:
        for burner in burners:
            burner.terminate()
    minutes = (time.monotonic() - started) / 60
    verdict = f"FAILED in runs {failed}" if failed else "no flake"
    stopped = "" if made == args.runs else f" (time budget spent: {made} of {args.runs} runs)"
    print(
        f"flake: the browser tests {made} times in {args.workers} workers under {args.burners} "
        f"CPU burners in {minutes:.1f} min: {verdict}{stopped}"
    )
    return 1 if failed or made == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
