"""Start-up waits for what it starts (scripts/operate/lib.sh wait_for_url, issue 31).

A busy machine may take minutes to start a server: the wait goes on while the
process lives (or make prod's supervisord says it runs or is starting it again),
and a process that exits is reported at once with its log.
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
                f"wait_for_url http://127.0.0.1:{free_port()}/ 'test server' {log} kill -0 $!")
    assert done.returncode == 1
    assert "the test server stopped before it answered" in done.stderr
    assert "port already in use" in done.stderr


def test_a_slow_server_is_waited_for_while_it_runs(tmp_path):
    port = free_port()
    log = tmp_path / "slow.log"
    started = time.monotonic()
    done = wait(f"(sleep 4; exec {sys.executable} -m http.server {port} "
                f"--bind 127.0.0.1 >{log} 2>&1) & pid=$!; "
                f"wait_for_url http://127.0.0.1:{port}/ 'slow server' {log} kill -0 $pid; rc=$?; "
                "kill $pid; exit $rc")
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started >= 4


def test_a_server_that_never_answers_stops_at_the_limit(tmp_path):
    log = tmp_path / "stuck.log"
    log.write_text("loading model...\n")
    done = wait(f"sleep 30 & pid=$!; wait_for_url http://127.0.0.1:{free_port()}/ "
                f"'stuck server' {log} kill -0 $pid; rc=$?; kill $pid; exit $rc", timeout="2")
    assert done.returncode == 1
    assert "did not answer" in done.stderr and "within 2s" in done.stderr
    assert "loading model..." in done.stderr


def test_the_wait_follows_a_supervisor_that_starts_the_server_again(tmp_path):
    """make prod asks supervisord: a server that died and is being started again is
    waited for; one supervisord gave up on is reported."""
    starting = tmp_path / "starting"  # stands for supervisord's STARTING/BACKOFF/RUNNING
    starting.touch()
    log = tmp_path / "server.log"
    port = free_port()
    # The first process dies at once; 1.5 s later the "supervisor" starts another.
    done = wait(f"sleep 0.2 & (sleep 1.5; exec {sys.executable} -m http.server {port} "
                f"--bind 127.0.0.1 >{log} 2>&1) & pid=$!; "
                f"wait_for_url http://127.0.0.1:{port}/ 'server' {log} test -e {starting}; "
                f"rc=$?; kill $pid; exit $rc")
    assert done.returncode == 0, done.stderr
    starting.unlink()  # supervisord gave up
    done = wait(f"wait_for_url http://127.0.0.1:{free_port()}/ 'server' {log} test -e {starting}")
    assert done.returncode == 1 and "stopped before it answered" in done.stderr
