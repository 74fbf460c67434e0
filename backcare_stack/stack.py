"""Start and stop a real BackCare stack (action server + Rasa server) for tests."""

import os
import secrets
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Dict, List, Optional

import httpx

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
MODEL = ROOT / "models" / "backcare.tar.gz"
# A clinic may embed the widget on two sites: the stack allows two origins.
SECOND_ORIGIN = "https://clinic.example"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, log: Path, seconds: float = 180) -> None:
    """Until ``url`` answers; fails with the end of ``log`` if the process exits first."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited early:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {seconds}s:\n{log.read_text()[-3000:]}")


class Stack:
    """An action server and a Rasa server on free ports, with their own tracker DB."""

    def __init__(self, workdir: Path, extra_env: Optional[Dict[str, str]] = None,
                 rasa_args: Optional[List[str]] = None, endpoints: str = "endpoints.yml",
                 model: Path = MODEL, credentials: str = "credentials.yml") -> None:
        self.workdir = workdir
        self.model = model
        self.action_port = free_port()
        self.rasa_port = free_port()
        self.web_port = free_port()
        self.gateway_port = free_port()
        # The clinic gateway's shared secret: the test gateway signs with it and checks replies.
        self.gateway_secret = secrets.token_urlsafe(24)
        self.env = {
            **os.environ,
            "RASA_TELEMETRY_ENABLED": "false",
            "PYTHONPATH": str(ROOT),
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            "SANIC_KEEP_ALIVE_TIMEOUT": "75",
            "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{self.action_port}/webhook",
            "BACKCARE_TRACKER_DB": str(workdir / "tracker.db"),
            "CALLBACK_URL": f"http://127.0.0.1:{self.gateway_port}/bot",
            "CALLBACK_SECRET": self.gateway_secret,
            "CALLBACK_SECRET_FILE": "",
            "BACKCARE_SOCKET_URL": f"http://127.0.0.1:{self.rasa_port}",
            **(extra_env or {}),
        }
        self.rasa_args = rasa_args or []
        self.endpoints = endpoints
        self.credentials = credentials
        self.processes: Dict[str, subprocess.Popen] = {}

    @property
    def url(self) -> str:
        """The Rasa server's base URL."""
        return f"http://127.0.0.1:{self.rasa_port}"

    def _spawn(self, name: str, args: List[str]) -> Path:
        log = self.workdir / f"{name}.log"
        handle = log.open("ab")
        self.processes[name] = subprocess.Popen(
            args, cwd=ROOT, env=self.env, stdout=handle, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return log

    def start_actions(self) -> None:
        """Start the action server and wait for its health check."""
        log = self._spawn("actions", [str(VENV_BIN / "python"), "-m", "rasa_sdk",
                                      "--port", str(self.action_port), "--actions", "actions"])
        wait_for(f"http://127.0.0.1:{self.action_port}/health", self.processes["actions"], log)

    def start_rasa(self, name: str = "rasa", port: Optional[int] = None) -> str:
        """Start a Rasa server (another one on another port, if asked); returns its URL."""
        port = port or self.rasa_port
        log = self._spawn(name, [
            str(VENV_BIN / "python"), "-m", "backcare_rasa", "run",
            "--model", str(self.model), "--port", str(port),
            "--credentials", self.credentials, "--endpoints", self.endpoints,
            "--cors", self.web_url, SECOND_ORIGIN, *self.rasa_args,
        ])
        url = f"http://127.0.0.1:{port}"
        wait_for(f"{url}/", self.processes[name], log)
        return url

    @property
    def web_url(self) -> str:
        """The chat page's base URL."""
        return f"http://127.0.0.1:{self.web_port}"

    def start_web(self) -> None:
        """Start the chat page's server, once per stack (several test modules ask for it)."""
        running = self.processes.get("web")
        if running is not None and running.poll() is None:
            return
        log = self._spawn("web", [str(VENV_BIN / "python"), "scripts/operate/serve_web.py",
                                  "--port", str(self.web_port)])
        wait_for(f"{self.web_url}/", self.processes["web"], log, seconds=30)

    def start(self) -> "Stack":
        """The action server, then the Rasa server."""
        self.start_actions()
        self.start_rasa()
        return self

    def stop(self, name: str, sig: int = signal.SIGTERM) -> None:
        """Stop one process (its whole group), killing it after 20 s."""
        process = self.processes.pop(name, None)
        if process and process.poll() is None:
            os.killpg(process.pid, sig)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def stop_all(self) -> None:
        """Stop every process this stack started."""
        for name in list(self.processes):
            self.stop(name)

    def log(self, name: str) -> str:
        """What one process has written so far."""
        return (self.workdir / f"{name}.log").read_text(errors="replace")

    def say(self, sender: str, text: str, timeout: float = 60) -> List[dict]:
        """Send one message through the REST channel; the bot's messages."""
        response = httpx.post(f"{self.url}/webhooks/rest/webhook",
                              json={"sender": sender, "message": text}, timeout=timeout)
        response.raise_for_status()
        return response.json()


class ProductionStack:
    """`make prod`'s setup, started by ``command`` in its own process group.

    Started as a person would start it; logs and run files under ``var`` (BACKCARE_VAR).
    """

    def __init__(self, var: Path, env: Dict[str, str], command: str) -> None:
        var.mkdir(parents=True, exist_ok=True)
        self.var = var
        self.env = {**env, "BACKCARE_VAR": str(var)}
        self.url = f"http://127.0.0.1:{self.env['PROXY_PORT']}"
        self.output = var / "make-prod.out"
        self.process = subprocess.Popen(
            ["bash", "-c", command], cwd=ROOT, env=self.env, start_new_session=True,
            stdout=self.output.open("wb"), stderr=subprocess.STDOUT)

    def wait_until_running(self, seconds: float = 400) -> None:
        """Until it prints "Press Ctrl-C to stop"; fails with its output if it exits."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if "Press Ctrl-C to stop" in self.output.read_text(errors="replace"):
                return
            if self.process.poll() is not None:
                break
            time.sleep(1)
        raise RuntimeError(f"make prod did not start:\n{self.log()[-4000:]}")

    def log(self) -> str:
        """What the command has printed so far."""
        return self.output.read_text(errors="replace")

    def _supervisorctl(self, *args: str) -> str:
        return subprocess.run(
            [str(ROOT / ".venv" / "bin" / "supervisorctl"), "-c",
             str(self.var / "prod" / "supervisord.conf"), *args],
            capture_output=True, text=True, timeout=30).stdout

    def pid(self, piece: str) -> int:
        """The pid supervisord gives for ``piece`` (rasa-1, nginx, ...)."""
        return int(self._supervisorctl("pid", piece).strip())

    def pids(self) -> Dict[str, int]:
        """Every process make prod runs: supervisord and each program it runs now."""
        running = {line.split()[0]: int(line.split("pid ")[1].split(",")[0])
                   for line in self._supervisorctl("status").splitlines()
                   if " RUNNING " in f" {line} " and "pid " in line}
        supervisor = self.var / "prod" / "supervisord.pid"
        return {"supervisord": int(supervisor.read_text()), **running}

    def access_log(self) -> str:
        """Nginx's access log."""
        return (self.var / "log" / "nginx-access.log").read_text()

    def ctrl_c(self) -> int:
        """Ctrl-C to the whole process group, as a terminal sends it; the exit status."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
        try:
            return self.process.wait(timeout=90)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            return self.process.wait()

    def say(self, sender: str, text: str) -> str:
        """Send one message through nginx; everything the person would read."""
        response = httpx.post(f"{self.url}/webhooks/rest/webhook",
                              json={"sender": sender, "message": text}, timeout=120)
        response.raise_for_status()
        return texts(response.json())


def texts(messages: List[dict]) -> str:
    """Everything the user would read in a list of bot messages, one string."""
    parts = []
    for message in messages:
        parts.append(message.get("text") or "")
        parts += [button["title"] for button in message.get("buttons") or []]
    return "\n".join(parts)
