"""Whether a Docker engine answers (testcontainers needs one)."""

import shutil
import subprocess
from functools import cache


@cache
def docker_available() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=5).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False
