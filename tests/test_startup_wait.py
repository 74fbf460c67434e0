"""Start-up waits for what it starts (scripts/operate/lib.sh wait_for_url, issue 31).

A busy machine may take minutes to start a server: the wait goes on while the
process lives, and a process that exits is reported at once with its log.
"""

import subprocess
import sys
import time

from backcare_stack.stack import ROOT, free_port


def wait(script: str, timeout: str = "60") -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", f"source scripts/operate/lib.sh; {script}"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "BACKCARE_START_TIMEOUT": timeout})


def test_a_server_that_exits_is_reported_with_its_log(tmp_path):
    log = tmp_path / "thing.log"
    done = wait(f"(echo 'port already in use' >{log}; exit 3) & "
                f"wait_for_url http://127.0.0.1:{free_port()}/ 'test server' $! {log}")
    assert done.returncode == 1
    assert "the test server stopped before it answered" in done.stderr
    assert "port already in use" in done.stderr


def test_a_slow_server_is_waited_for_while_it_runs(tmp_path):
    port = free_port()
    log = tmp_path / "slow.log"
    started = time.monotonic()
    done = wait(f"(sleep 4; exec {sys.executable} -m http.server {port} "
                f"--bind 127.0.0.1 >{log} 2>&1) & pid=$!; "
                f"wait_for_url http://127.0.0.1:{port}/ 'slow server' $pid {log}; rc=$?; "
                "kill $pid; exit $rc")
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started >= 4


def test_a_server_that_never_answers_stops_at_the_limit(tmp_path):
    log = tmp_path / "stuck.log"
    log.write_text("loading model...\n")
    done = wait(f"sleep 30 & pid=$!; wait_for_url http://127.0.0.1:{free_port()}/ "
                f"'stuck server' $pid {log}; rc=$?; kill $pid; exit $rc", timeout="2")
    assert done.returncode == 1
    assert "did not answer" in done.stderr and "within 2s" in done.stderr
    assert "loading model..." in done.stderr


def test_a_pid_file_is_read_again_each_time(tmp_path):
    """make prod's supervisor restarts a server under a new pid: the wait follows it."""
    pid_file = tmp_path / "server.pid"
    log = tmp_path / "server.log"
    port = free_port()
    # The first process dies at once; 1.5 s later the "supervisor" starts another.
    done = wait(f"sleep 0.2 & echo $! >{pid_file}; "
                f"(sleep 1.5; {{ sleep 1; exec {sys.executable} -m http.server {port} "
                f"--bind 127.0.0.1; }} >{log} 2>&1 & echo $! >{pid_file}.new; "
                f"mv {pid_file}.new {pid_file}) & "
                f"wait_for_url http://127.0.0.1:{port}/ 'server' {pid_file} {log}; "
                f"rc=$?; kill $(cat {pid_file}); exit $rc")
    assert done.returncode == 0, done.stderr
