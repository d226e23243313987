"""A fresh clone of this checkout, as a user would have it (committed or not, no ignored files)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def clone_of_checkout(copy: Path) -> Path:
    """Copy the tracked and untracked, not ignored, files to `copy`, and commit them there."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        if (ROOT / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, copy / name)
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid"]
    for args in (["init", "--quiet"], ["add", "--all"], ["commit", "--quiet", "-m", "copy"]):
        subprocess.run([*git, *args], cwd=copy, env=os.environ, capture_output=True, check=True)
    return copy
