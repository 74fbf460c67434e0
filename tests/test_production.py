"""The production setup as `make prod` starts it: nginx, two Rasa servers, PostgreSQL, Redis.

Every command here is run exactly as docs/deploy.md prints it (a test checks
that), with this test's own ports, database and folders in the environment.
"""

import os
import re
import signal
import subprocess
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Dict, List

import httpx
import pytest

from backcare_stack.services import fresh_postgres_database, require
from backcare_stack.stack import ProductionStack, free_port

pytestmark = pytest.mark.server
ROOT = Path(__file__).resolve().parent.parent
NGINX = Path("/usr/sbin/nginx")
CHROMIUM = Path("/usr/bin/chromium")
DOCS = ROOT / "docs" / "deploy.md"
DATABASE = "backcare_prod_test"
TOKEN = uuid.uuid4().hex

START = "BACKCARE_ENV=staging make prod"
START_PRODUCTION = "make prod"
HEALTH = "make health"
UPGRADE = "scripts/operate/prod.sh upgrade"
ROTATE_LOGS = "scripts/operate/prod.sh rotate-logs"
BACKUP = 'pg_dump -Fc -h "$POSTGRES_HOST" -U "$POSTGRES_USER" "$POSTGRES_DB" > backcare.dump'
RESTORE = ('pg_restore --clean --if-exists -h "$POSTGRES_HOST" -U "$POSTGRES_USER" '
           '-d "$POSTGRES_DB" backcare.dump')
COMMANDS = [START, START_PRODUCTION, HEALTH, UPGRADE, ROTATE_LOGS, BACKUP, RESTORE]


GATEWAY_SECRET = "prod-test-gateway-secret-0123456789"


def test_the_deployment_guide_gives_the_commands_this_test_runs():
    guide = DOCS.read_text()
    missing = [command for command in COMMANDS if command not in guide]
    assert not missing, f"docs/deploy.md does not show: {missing}"


def settings(var: Path) -> Dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("BACKCARE_", "RASA_", "POSTGRES_", "REDIS_", "MAKE"))
           and key not in ("MFLAGS", "MAKELEVEL")}
    env.update({
        "RASA_TELEMETRY_ENABLED": "false",
        "PROXY_PORT": str(free_port()), "RASA_PORT": str(free_port()),
        "RASA_PORT_2": str(free_port()), "ACTION_PORT": str(free_port()),
        "WEB_PORT": str(free_port()), "CONSOLE_PORT": str(free_port()),
        "BACKCARE_VAR": str(var),
        "POSTGRES_HOST": "127.0.0.1", "POSTGRES_PORT": "5432", "POSTGRES_DB": DATABASE,
        "POSTGRES_USER": "postgres", "POSTGRES_PASSWORD": "",
        "REDIS_HOST": "127.0.0.1", "REDIS_PORT": "6379", "REDIS_DB": "5",
        "RASA_API_TOKEN": TOKEN,
        "CALLBACK_SECRET": GATEWAY_SECRET, "CALLBACK_SECRET_FILE": "",
        "BACKCARE_CLINIC_PROFILE": str(var / "no-clinic-profile.yml"),
    })
    return env


def run(command: str, env: Dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", command], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture(scope="module")
def prod(tmp_path_factory):
    require("PostgreSQL", "Redis")
    if not NGINX.exists():
        pytest.skip("nginx is not installed: sudo apt-get install nginx (README, Prerequisites)")
    fresh_postgres_database(DATABASE)
    var = tmp_path_factory.mktemp("prod")
    production = ProductionStack(var, settings(var), START)
    try:
        production.wait_until_running()
        yield production
    finally:
        production.ctrl_c()


def database(sql: str, *args) -> List[tuple]:
    import psycopg2

    with psycopg2.connect(host="127.0.0.1", user="postgres", dbname=DATABASE) as connection:
        with connection.cursor() as cursor:
            cursor.execute(sql, args)
            return cursor.fetchall()


def user_texts(sender: str) -> List[str]:
    rows = database("SELECT data FROM events WHERE sender_id = %s AND type_name = 'user' "
                    "ORDER BY id", sender)
    import json
    return [json.loads(data).get("text") for (data,) in rows]


def sender_who_said(text: str) -> str:
    rows = database("SELECT DISTINCT sender_id FROM events WHERE type_name = 'user' "
                    "AND data::json->>'text' = %s", text)
    assert len(rows) == 1, rows
    return rows[0][0]


def wait_for_log(prod: ProductionStack, pattern: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not re.search(pattern, prod.access_log()):
        assert time.monotonic() < deadline, f"nginx never logged {pattern}"
        time.sleep(0.5)


def supervisor_restart(prod: ProductionStack, program: str, killed_at: datetime) -> float:
    """Seconds from ``killed_at`` to supervisord's log line saying it spawned ``program``
    again, after the line saying it exited unexpectedly."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        log = (prod.var / "log" / "supervisord.log").read_text()
        exits = [m.end() for m in re.finditer(rf"exited: {program} \(terminated by SIGKILL", log)]
        if exits:
            spawned = re.search(rf"^(\S+ \S+) INFO spawned: '{program}'", log[exits[-1]:],
                                re.MULTILINE)
            if spawned:
                at = datetime.strptime(spawned.group(1), "%Y-%m-%d %H:%M:%S,%f")
                return (at - killed_at).total_seconds()
        time.sleep(0.2)
    raise AssertionError(f"supervisord did not start {program} again")


def wait_for_text(page, text: str) -> None:
    page.wait_for_function(
        "t => document.querySelector('.rw-messages-container').innerText.includes(t)",
        arg=text, timeout=60_000)


def wait_until_up(url: str, seconds: float = 240) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise AssertionError(f"{url} did not come back within {seconds}s")


def test_production_refuses_content_no_clinician_reviewed(tmp_path):
    env = settings(tmp_path)
    result = run(START_PRODUCTION, env, timeout=300)
    assert result.returncode != 0
    assert "not been clinically reviewed" in result.stdout + result.stderr
    assert "BACKCARE_ENV=staging" in result.stdout + result.stderr
    assert not (tmp_path / "prod").exists(), "nothing may start on unreviewed content"


def test_make_prod_says_clearly_when_redis_or_postgresql_is_not_there(tmp_path):
    if not NGINX.exists():
        pytest.skip("nginx is not installed: sudo apt-get install nginx (README, Prerequisites)")
    closed = str(free_port())  # nothing listens there
    env = {**settings(tmp_path), "BACKCARE_ENV": "staging", "REDIS_PORT": closed,
           "POSTGRES_PORT": closed}
    result = run(START, env, timeout=300)
    said = result.stdout + result.stderr
    assert result.returncode != 0
    assert re.search(rf"^PostgreSQL\s+DOWN: not reachable at 127\.0\.0\.1:{closed}", said, re.M)
    assert re.search(rf"^Redis\s+DOWN: not reachable at 127\.0\.0\.1:{closed}", said, re.M)
    assert "make prod needs PostgreSQL and Redis" in said
    assert "Traceback" not in said
    assert not (tmp_path / "prod").exists()


def test_make_prod_says_where_to_chat_and_every_piece_is_healthy(prod):
    assert f"http://localhost:{prod.env['PROXY_PORT']}/" in prod.log()
    health = run(HEALTH, prod.env, timeout=120)
    assert health.returncode == 0, health.stdout + health.stderr
    for piece in ("PostgreSQL", "Redis", "action server", "Rasa server 1", "Rasa server 2",
                  "chat page", "staff console", "nginx"):
        assert re.search(rf"^{piece}\s+ok$", health.stdout, re.M), health.stdout
    # supervisord runs every piece (make bench measures their memory from this list).
    assert set(prod.pids()) == {"supervisord", "actions", "rasa-1", "rasa-2", "web",
                                "console", "nginx", "logrotate"}


def test_only_the_public_paths_are_open_and_the_api_needs_the_token(prod):
    sender = f"api-{uuid.uuid4().hex[:8]}"
    assert "I'm BackCare" in prod.say(sender, "hello")
    tracker = f"{prod.url}/conversations/{sender}/tracker"
    assert httpx.get(tracker, timeout=10).status_code == 401
    assert httpx.get(tracker, params={"token": "wrong"}, timeout=10).status_code == 401
    assert httpx.get(tracker, params={"token": TOKEN}, timeout=30).status_code == 200
    for private in ("/model", "/status", "/version", "/domain"):
        assert httpx.get(prod.url + private, timeout=10).status_code == 404, private
    assert httpx.get(f"{prod.url}/config.js", timeout=10).status_code == 200


def outside_address() -> str:
    """An address of this machine that is not loopback: to nginx, a caller from outside."""
    for address in subprocess.run(["hostname", "-I"], capture_output=True,
                                  text=True).stdout.split():
        if "." in address and not address.startswith("127."):
            return address
    pytest.skip("this machine has no IPv4 address besides loopback")


def test_rest_is_refused_from_outside_the_machine(prod):
    """REST trusts the sender it is given: only callers on the machine reach it."""
    body = {"sender": f"outside-{uuid.uuid4().hex[:6]}", "message": "hello"}
    outside = f"http://{outside_address()}:{prod.env['PROXY_PORT']}"
    assert httpx.post(f"{outside}/webhooks/rest/webhook", json=body,
                      timeout=10).status_code == 403
    assert httpx.get(f"{outside}/config.js", timeout=10).status_code == 200  # the page is public
    assert database("SELECT COUNT(*) FROM events WHERE sender_id = %s", body["sender"]) == [(0,)]


def test_the_gateway_through_nginx_takes_only_signed_messages(prod):
    import json

    from backcare_channels.signing import signed_headers

    sender = f"sms-{uuid.uuid4().hex[:6]}"
    body = json.dumps({"sender": sender, "message": "hello"}).encode()
    url = f"{prod.url}/webhooks/callback/webhook"
    plain = {"Content-Type": "application/json"}
    assert httpx.post(url, content=body, headers=plain, timeout=30).status_code == 401
    forged = signed_headers("a-guessed-secret-0123456789", body)
    assert httpx.post(url, content=body, headers={**plain, **forged}, timeout=30).status_code == 403
    assert user_texts(sender) == []
    signed = signed_headers(GATEWAY_SECRET, body)
    answer = httpx.post(url, content=body, headers={**plain, **signed}, timeout=60)
    assert answer.status_code == 200 and answer.text == "success"
    assert user_texts(sender) == ["hello"]


def test_the_widget_through_nginx_survives_a_reload_and_a_replica_killed(prod):
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: sudo apt-get install chromium (README, Prerequisites)")
    from tests.test_web_widget import CHROMIUM_ARGS, SCREENSHOTS, messages, send

    marker = uuid.uuid4().hex[:6]
    first = f"does massage help back pain {marker}"
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 900, "height": 1400})
        page.goto(f"http://localhost:{prod.env['PROXY_PORT']}/")
        page.wait_for_selector("text=I'm BackCare", timeout=60_000)
        send(page, first)
        page.wait_for_selector("text=get back to normal activities sooner", timeout=60_000)
        wait_for_text(page, "Sources:")  # the whole answer is on screen

        page.reload()
        page.wait_for_selector("text=get back to normal activities sooner", timeout=60_000)

        # Sticky: every socket.io request of this browser went to one Rasa server.
        serving = set(re.findall(r'"(?:GET|POST) /socket\.io/" \d+ \S+ '
                                 r'upstream=127\.0\.0\.1:(\d+)', prod.access_log()))
        assert len(serving) == 1, f"one browser's socket.io requests went to {serving}"
        # Kill that server in the middle of the conversation.
        replica = 1 if serving == {prod.env["RASA_PORT"]} else 2
        killed_at = datetime.now()
        os.kill(prod.pid(f"rasa-{replica}"), signal.SIGKILL)

        # The widget reconnects through nginx to the other server (a person
        # typing takes longer than that; a message in flight at the instant of
        # the crash is lost, see docs/deploy.md).
        other = prod.env["RASA_PORT_2" if replica == 1 else "RASA_PORT"]
        wait_for_log(prod, rf'"(?:GET|POST) /socket\.io/" 200 \S+ upstream=127\.0\.0\.1:{other}\b')
        send(page, "any tips?")
        wait_for_text(page, "another tip")
        send(page, "how much does it cost")
        wait_for_text(page, "full cost")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.add_style_tag(content="#backcare-chat { height: 62rem; }")
        page.screenshot(path=str(SCREENSHOTS / "prod-widget-after-replica-kill.png"))
        shown = messages(page)
        browser.close()

    # supervisord saw the kill and started the server again within 2 s.
    restarted = supervisor_restart(prod, f"rasa-{replica}", killed_at)
    assert restarted <= 2.0, f"rasa-{replica} started again {restarted:.1f} s after the kill"
    # Nothing the person said was lost or stored twice, whichever server took it.
    said = user_texts(sender_who_said(first))
    typed = [first, "any tips?", "how much does it cost"]
    assert [text for text in said if text in typed] == typed, said
    assert first in shown and "Sources:" in shown and "full cost" in shown
    # The supervisor started the killed server again.
    wait_until_up(f"http://127.0.0.1:{prod.env['RASA_PORT' if replica == 1 else 'RASA_PORT_2']}/")


def test_twenty_concurrent_conversations_through_nginx_nothing_lost_or_doubled(prod):
    turns = ["hi", "does massage help back pain", "is massage safe?",
             "how much does massage cost", "thanks"]
    senders = [f"load-{i}-{uuid.uuid4().hex[:6]}" for i in range(20)]
    replies: Dict[str, List[str]] = {}

    def talk(sender: str) -> None:
        replies[sender] = [prod.say(sender, text) for text in turns]

    with ThreadPoolExecutor(max_workers=20) as pool:
        for job in [pool.submit(talk, sender) for sender in senders]:
            job.result()

    for sender in senders:
        assert all(replies[sender]), (sender, replies[sender])
        assert user_texts(sender) == turns, sender
    served = set(re.findall(r'"POST /webhooks/rest/webhook" 200 \S+ upstream=(\S+)',
                            prod.access_log()))
    assert len(served) == 2, f"requests went to {served}, not to both Rasa servers"


def test_the_access_log_holds_no_message_text_and_no_token(prod):
    secret_words = f"my private words {uuid.uuid4().hex[:8]}"
    prod.say(f"log-{uuid.uuid4().hex[:6]}", secret_words)
    httpx.get(f"{prod.url}/conversations/x/tracker", params={"token": TOKEN}, timeout=30)
    log = prod.access_log()
    assert "/webhooks/rest/webhook" in log
    assert secret_words.split()[-1] not in log and "private words" not in log
    assert TOKEN not in log


def test_no_process_shows_the_api_token_or_the_gateway_secret_on_its_command_line(prod):
    """`ps` shows every process's arguments to every user of the machine."""
    shown = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            arguments = cmdline.read_bytes().decode(errors="replace")
        except OSError:
            continue  # the process ended meanwhile
        if "backcare_rasa" in arguments or "rasa_sdk" in arguments or "console.py" in arguments:
            shown.append(arguments)
        assert TOKEN not in arguments and GATEWAY_SECRET not in arguments, arguments
    assert sum("backcare_rasa" in arguments for arguments in shown) >= 2, shown


def test_an_upgrade_restarts_both_servers_while_a_conversation_goes_on(prod):
    before = {n: prod.pid(f"rasa-{n}") for n in (1, 2)}
    sender = f"upgrade-{uuid.uuid4().hex[:6]}"
    stop = threading.Event()
    answered: List[str] = []
    failures: List[str] = []

    def chat() -> None:
        questions = ["is massage safe?", "any tips?", "how much does massage cost"]
        while not stop.is_set():
            try:
                reply = prod.say(sender, questions[len(answered) % 3])
                (answered if reply else failures).append(reply or "empty reply")
            except httpx.HTTPError as error:
                failures.append(repr(error))
            time.sleep(0.3)

    talker = threading.Thread(target=chat)
    talker.start()
    try:
        result = run(UPGRADE, prod.env, timeout=900)
    finally:
        stop.set()
        talker.join()
    assert result.returncode == 0, result.stdout + result.stderr
    assert all(prod.pid(f"rasa-{n}") != before[n] for n in (1, 2)), "not both restarted"
    assert failures == [], failures[:5]
    assert len(answered) >= 20
    assert len(user_texts(sender)) == len(answered)


def test_logs_rotate_and_the_servers_keep_writing(prod):
    logs = prod.var / "log"
    prod.say(f"rotate-{uuid.uuid4().hex[:6]}", "hello")
    result = run(ROTATE_LOGS, prod.env, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (logs / "nginx-access.log.1").exists() and (logs / "rasa-1.log.1").exists()
    before = (logs / "nginx-access.log").stat().st_size
    prod.say(f"rotate-{uuid.uuid4().hex[:6]}", "hello again")
    # nginx reopens its logs on a signal, handled between requests: on a busy
    # machine the next line may land a moment after the reply.
    deadline = time.monotonic() + 10
    while (logs / "nginx-access.log").stat().st_size <= before and time.monotonic() < deadline:
        time.sleep(0.2)
    assert (logs / "nginx-access.log").stat().st_size > before


def test_a_backup_restores_deleted_conversations(prod, tmp_path):
    sender = f"backup-{uuid.uuid4().hex[:6]}"
    prod.say(sender, "hello")
    prod.say(sender, "is massage safe?")
    env = {**prod.env}
    backup = run(f"cd {tmp_path} && {BACKUP}", env)
    assert backup.returncode == 0, backup.stderr
    database("DELETE FROM events WHERE sender_id = %s RETURNING id", sender)
    assert user_texts(sender) == []
    restore = run(f"cd {tmp_path} && {RESTORE}", env)
    assert restore.returncode == 0, restore.stderr
    assert user_texts(sender) == ["hello", "is massage safe?"]


def test_ctrl_c_stops_every_piece(prod):
    ports = [prod.env[key] for key in ("PROXY_PORT", "RASA_PORT", "RASA_PORT_2",
                                       "ACTION_PORT", "WEB_PORT", "CONSOLE_PORT")]
    assert prod.ctrl_c() is not None
    assert "BackCare stopped." in prod.log()
    for port in ports:
        with pytest.raises(httpx.HTTPError):
            httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
