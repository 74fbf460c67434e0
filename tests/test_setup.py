"""Setup behaviour a newcomer meets: the interpreter search and an idempotent install."""

import os
import shutil
import subprocess

from backcare_stack.stack import ROOT


def test_without_python_310_setup_stops_with_supported_versions(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "ls", "sort", "cat", "dirname"):
        found = shutil.which(tool)
        if found:
            (bin_dir / tool).symlink_to(found)
    env = {"PATH": str(bin_dir), "HOME": str(tmp_path), "PYENV_ROOT": str(tmp_path / "none")}
    result = subprocess.run([str(bin_dir / "bash"), "scripts/setup/find_python.sh"], cwd=ROOT,
                            env=env, capture_output=True, text=True)
    assert result.returncode == 1
    assert "no Python 3.10 interpreter found" in result.stderr
    assert "3.8 to 3.10" in result.stderr
    assert "pyenv install 3.10" in result.stderr


def test_finds_a_python_310():
    result = subprocess.run(["scripts/setup/find_python.sh"], cwd=ROOT, capture_output=True,
                            text=True, env={**os.environ})
    assert result.returncode == 0
    version = subprocess.run([result.stdout.strip(), "--version"], capture_output=True, text=True)
    assert version.stdout.startswith("Python 3.10")


def test_second_install_has_nothing_to_do():
    # `make -q` exits 0 only when every file `install` builds is up to date.
    result = subprocess.run(["make", "-q", "install"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_script_runs_without_the_makefiles_pythonpath(tmp_path):
    """make install puts the project on the venv's path: a tool runs from any folder."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    result = subprocess.run([str(ROOT / ".venv" / "bin" / "python"),
                             str(ROOT / "scripts" / "operate" / "retention.py"), "--help"],
                            cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Delete old conversations" in result.stdout
