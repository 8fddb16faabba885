"""Smoke test of the speed benchmark script: it runs and prints its ratios.

No timing is asserted: the figures depend on the machine and its load.
"""

import re
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "speed_sr.py"


def test_speed_benchmark_quick_runs():
    completed = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    output = completed.stdout

    for pad in ("'auto' \\(default\\)", "False", "True"):
        pattern = rf"global ratio, pad_to_fast_length={pad},.*ratio \d+\.\d+"
        assert re.search(pattern, output), f"no ratio line matching {pattern!r}"
    assert re.search(r"sliding w=1440, best .* [\d,]+ points/s", output)
    assert re.search(r"last_point_score w=1440, defaults.* \d+\.\d us", output)
    assert "peers" in output
    assert "skipped (no --peer-python given)" in output
