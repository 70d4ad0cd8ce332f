"""`make flake`: the browser tests many times in a row under CPU load, to prove they do not flake.

One pytest session (the test database is built once) repeats every browser test `--runs` times
(pytest-repeat) while one busy-looping process per core keeps the machine as loaded as a busy CI
runner. Prints pytest's own summary and one result line; exits non-zero if any run failed.
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
    parser.add_argument("pytest_args", nargs="*", help="more pytest arguments")
    args = parser.parse_args()

    burners = [multiprocessing.Process(target=burn, daemon=True) for _ in range(args.burners)]
    for burner in burners:
        burner.start()
    started = time.monotonic()
    try:
        result = subprocess.run(
            [
                sys.executable, "-m", "pytest", "-m", "browser", "-p", "no:cacheprovider",
                f"--count={args.runs}", "--repeat-scope=session", "-q",
                "-n", args.workers, "--dist", "loadgroup", *args.pytest_args,
            ],
            cwd=ROOT,
        )  # fmt: skip
    finally:
        for burner in burners:
            burner.terminate()
    minutes = (time.monotonic() - started) / 60
    verdict = "no flake" if result.returncode == 0 else "FAILED"
    print(
        f"flake: browser tests × {args.runs} runs in {args.workers} workers under "
        f"{args.burners} CPU burners "
        f"in {minutes:.1f} min: {verdict} (pytest exit {result.returncode})"
    )
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
