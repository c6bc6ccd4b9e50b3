"""One load level in its own process: locust (as a library) drives N simulated residents.

    python -m lifebot.load.swarm PLAN.json RESULT.json

PLAN: {"mode": "chat" | "parse", "base_url", "users", "seconds", "conversations", "think", "timeout",
"seed", "run", "texts", "parse_urls" and "token" (parse mode: what to parse, at which Rasa servers, with
their HTTP API's token)}. Locust patches the standard library with gevent
on import, so it runs here, never in the `lifebot` process that starts servers and writes reports.

chat: each user holds conversations one after another (lifebot.load.residents), each as a new sender,
over POST /webhooks/rest/webhook, until the time is up or the conversation budget is spent; a
conversation under way when time runs out finishes its current turn and stops. parse: the same
number of users POST /model/parse with the texts the chat level sent, each text once (users spread
over the Rasa servers given: a scaled layout's floor is its Rasa servers side by side).
"""

from __future__ import annotations

import itertools
import json
import random
import sys
import time
from pathlib import Path

BUSY_TEXTS = ("系统繁忙，请稍后再试", "预约系统暂时连不上")
# The first conversations of a level and the first that failed are kept as samples (what was said, answered).
SAMPLES, FAILED_SAMPLES, SAMPLE_CHARS = 4, 10, 60


def classify(status: int, body: object, mode: str) -> str | None:
    """Why a turn failed, or None: non-200, an empty answer, the busy text (timeouts: status 0)."""
    if status == 0:
        return "timeout"
    if status != 200:
        return f"http {status}"
    if mode == "parse":
        return None if isinstance(body, dict) and body.get("intent") else "empty"
    if not isinstance(body, list) or not any(r.get("text") or r.get("buttons") or r.get("custom") for r in body):
        return "empty"
    if any(busy in (r.get("text") or "") for r in body for busy in BUSY_TEXTS):
        return "busy"
    return None


def main(plan_path: str, result_path: str) -> None:
    import gevent
    from locust import HttpUser, between, constant, task
    from locust.env import Environment
    from locust.exception import StopUser

    from lifebot.load import residents
    from lifebot.load.texts import load
    from lifebot.rasa_auth import with_token

    plan = json.loads(Path(plan_path).read_text(encoding="utf-8"))
    mode, timeout = plan["mode"], plan["timeout"]
    deadline = time.monotonic() + plan["seconds"]
    turns: list[dict] = []
    outcomes: list[dict] = []
    texts = load()
    numbers = itertools.count()
    to_parse = iter(plan.get("texts", []))
    parse_urls = itertools.cycle(plan.get("parse_urls") or [plan["base_url"]])
    rng = random.Random(plan["seed"])
    phone_base = rng.randrange(10_000_000, 90_000_000)
    budget = plan["conversations"] or sys.maxsize

    def send(client, path: str, body: dict, kind: str) -> tuple[object, str | None]:
        started = time.perf_counter()
        status, answer = 0, None
        try:
            with client.post(path, json=body, timeout=timeout, name=kind, catch_response=True) as response:
                status = response.status_code or 0
                try:
                    answer = response.json()
                except ValueError:
                    answer = None
                error = classify(status, answer, mode)
                if status == 0 and "timeout" not in repr(response.error).lower():
                    error = f"connection: {type(response.error).__name__}"
                if error:
                    response.failure(error)
                else:
                    response.success()
        except Exception as exc:  # noqa: BLE001 - anything that kept the answer from arriving counts as an error
            error = f"{type(exc).__name__}"
        turns.append({"kind": kind, "ms": round((time.perf_counter() - started) * 1000, 2), "error": error,
                      "text": body.get("message") or body.get("text")})
        return answer, error

    class Resident(HttpUser):
        wait_time = between(plan["think"] * 0.5, plan["think"] * 1.5) if plan["think"] else constant(0)

        @task
        def converse(self) -> None:
            number = next(numbers)
            if time.monotonic() > deadline or number >= budget:
                raise StopUser()
            kind, script = residents.conversation(number, random.Random(rng.random()), texts,
                                                  f"139{phone_base + number:08d}")
            sender = f"load-{plan['run']}-{number}"
            text, reached, cut, transcript = next(script), False, False, []
            while True:
                replies, error = send(self.client, "/webhooks/rest/webhook", {"sender": sender, "message": text},
                                      kind)
                transcript.append([text, error or residents.text_of(replies)[:SAMPLE_CHARS]])
                if error:
                    break
                if time.monotonic() > deadline:
                    cut = True
                    break
                gevent.sleep(self.wait_time())
                try:
                    text = script.send(replies)
                except StopIteration as done:
                    reached = bool(done.value)
                    break
            keep = len(outcomes) < SAMPLES or (error and sum(c["error"] for c in outcomes) < FAILED_SAMPLES)
            outcomes.append({"kind": kind, "reached": reached, "error": bool(error), "cut": cut,
                             **({"transcript": transcript} if keep else {})})

    class Parser(HttpUser):
        wait_time = Resident.wait_time

        def on_start(self) -> None:
            self.rasa = next(parse_urls)

        @task
        def parse(self) -> None:
            text = next(to_parse, None)
            if text is None or time.monotonic() > deadline:
                raise StopUser()
            send(self.client, with_token(f"{self.rasa}/model/parse", plan["token"]), {"text": text}, "parse")

    env = Environment(user_classes=[Resident if mode == "chat" else Parser], host=plan["base_url"])
    runner = env.create_local_runner()
    started = time.monotonic()
    runner.start(plan["users"], spawn_rate=plan["users"])
    gevent.sleep(1)
    # Users stop themselves at the deadline (after the turn in flight) or when the work runs out.
    while runner.user_count and time.monotonic() < deadline + timeout + 5:
        gevent.sleep(0.2)
    runner.quit()
    Path(result_path).write_text(json.dumps({"mode": mode, "users": plan["users"],
                                             "seconds": round(time.monotonic() - started, 1),
                                             "turns": turns, "conversations": outcomes},
                                            ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:3])
