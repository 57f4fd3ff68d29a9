"""Timing one command the same way in every benchmark: /usr/bin/time's wall and CPU time and
peak resident memory."""

import subprocess
import sys
from typing import NamedTuple


class Run(NamedTuple):
    wall: float  # seconds
    cpu: float  # user + system, seconds
    system: float  # seconds
    peak_mb: float  # peak resident memory, MiB


def timed(command):
    """Runs `command` (its output thrown away) under /usr/bin/time; exits if it fails."""
    result = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", *command],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stderr}")
    wall, user, system, peak_kib = result.stderr.strip().splitlines()[-1].split()
    return Run(float(wall), float(user) + float(system), float(system), int(peak_kib) / 1024)
