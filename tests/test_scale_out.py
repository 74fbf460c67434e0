"""Two Rasa servers share PostgreSQL (trackers) and Redis (locks): nothing lost or doubled."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from backcare_stack.services import fresh_postgres_database, require
from backcare_stack.stack import Stack, free_port, texts

pytestmark = pytest.mark.server
TOKEN = uuid.uuid4().hex
MAIN = [
    ("hello", "I'm BackCare"),
    ("does massage help back pain", "normal activities"),
    ("walk me through it", "safety check"),
    ("none of these", "Has a doctor confirmed"),
    ("yes", "Which kind"),
    ("what is shiatsu?", "Japanese method"),
    ("swedish", "licensing board"),
    ("not yet", "how to sit, walk and work"),
    ("yes", "integrative"),
    ("no", "Here is your plan"),
    ("any tips?", "Tip 1 of 5"),
    ("another tip", "Tip 2 of 5"),
    ("how much does it cost", "full cost"),
    ("how long until my back recovers", "weeks, or even months"),
    ("is massage safe", "very safe"),
    ("what kinds of massage are there", "offered most often"),
    ("where does this information come from", "March 2015"),
    ("thanks", "You're welcome"),
    ("are you a bot", "automated assistant"),
    ("bye", "Take care"),
]
OTHERS = ["hi", "any tips?", "is massage safe?", "how much does massage cost", "thanks"]


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory):
    require("PostgreSQL", "Redis")
    fresh_postgres_database("backcare_scale_test")
    env = {"POSTGRES_HOST": "127.0.0.1", "POSTGRES_PORT": "5432",
           "POSTGRES_DB": "backcare_scale_test", "POSTGRES_USER": "postgres",
           "POSTGRES_PASSWORD": "", "REDIS_HOST": "127.0.0.1", "REDIS_PORT": "6379",
           "REDIS_DB": "3"}
    stack = Stack(tmp_path_factory.mktemp("scale"), extra_env=env,
                  rasa_args=["--enable-api", "--auth-token", TOKEN],
                  endpoints="endpoints.scale.yml")
    stack.start_actions()
    urls = {}

    def start(name: str) -> None:
        urls[name] = stack.start_rasa(name, free_port())

    starters = [threading.Thread(target=start, args=(name,)) for name in ("rasa", "rasa2")]
    for thread in starters:
        thread.start()
    for thread in starters:
        thread.join()
    yield urls["rasa"], urls["rasa2"]
    stack.stop_all()


def say(url: str, sender: str, text: str) -> str:
    response = httpx.post(f"{url}/webhooks/rest/webhook",
                          json={"sender": sender, "message": text}, timeout=120)
    response.raise_for_status()
    return texts(response.json())


def user_events(url: str, sender: str) -> int:
    response = httpx.get(f"{url}/conversations/{sender}/tracker",
                         params={"token": TOKEN}, timeout=30)
    response.raise_for_status()
    return sum(1 for event in response.json()["events"] if event["event"] == "user")


def test_one_conversation_across_two_servers_with_others_running(two_servers):
    first, second = two_servers
    main = f"main-{uuid.uuid4().hex[:8]}"
    others = [f"other-{i}-{uuid.uuid4().hex[:6]}" for i in range(20)]

    def background(index: int, sender: str) -> None:
        for turn, text in enumerate(OTHERS):
            say(two_servers[(index + turn) % 2], sender, text)

    with ThreadPoolExecutor(max_workers=10) as pool:
        jobs = [pool.submit(background, i, s) for i, s in enumerate(others)]
        for turn, (text, expected) in enumerate(MAIN):
            reply = say(two_servers[turn % 2], main, text)
            assert expected in reply, (turn, text, reply[:300])
        for job in jobs:
            job.result()

    # Every message stored exactly once, and both servers see the same history.
    assert user_events(first, main) == len(MAIN) == user_events(second, main)
    for sender in others:
        assert user_events(second, sender) == len(OTHERS)


def test_api_refuses_calls_without_the_token(two_servers):
    first, _ = two_servers
    response = httpx.get(f"{first}/conversations/anyone/tracker", timeout=10)
    assert response.status_code == 401
