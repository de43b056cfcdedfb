"""Wall time of `ebp --help`, `ebp train --help`, a usage error and `import ebp` in fresh
interpreters (median of N runs), to keep the command line responsive.

    python benchmarks/bench_cli_startup.py [N]
"""

import statistics
import subprocess
import sys
import time

CASES = {
    "import ebp": [sys.executable, "-c", "import ebp"],
    "ebp --help": [sys.executable, "-m", "ebp.cli", "--help"],
    "ebp train --help": [sys.executable, "-m", "ebp.cli", "train", "--help"],
    "ebp run --help": [sys.executable, "-m", "ebp.cli", "run", "--help"],
    "ebp train --n-hidden -1": [sys.executable, "-m", "ebp.cli", "train", "--n-hidden", "-1"],
    "import ebp; ebp.simulate": [sys.executable, "-c", "import ebp; ebp.simulate"],
}


def main(n: int = 5) -> None:
    print(f"median of {n} fresh interpreters (seconds)")
    for label, cmd in CASES.items():
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=False)
            times.append(time.perf_counter() - t0)
        print(f"{label:28s} {statistics.median(times):6.2f}   (min {min(times):.2f})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
