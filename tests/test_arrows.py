"""The arrows between the apps (docs/ARCHITECTURE.md), checked by import-linter: the contract is
in pyproject.toml ([tool.importlinter]), so `lint-imports` and this test read the same one."""

import subprocess
import sys
from pathlib import Path

from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent


def test_the_apps_import_downwards_only():
    # devdata → config → reporting → mentoring → communities → networks, never upwards.
    lint_imports = Path(sys.executable).with_name("lint-imports")

    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Apps import downwards only KEPT" in result.stdout


def test_demo_and_scale_commands_belong_to_devdata():
    commands = get_commands()
    assert commands["load_demo"] == "devdata"
    assert commands["generate_scale"] == "devdata"
    for app in ("networks", "communities", "mentoring", "reporting"):
        assert not (ROOT / app / "demo").exists()
        assert not (ROOT / app / "scale").exists()
