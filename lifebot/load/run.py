"""Run the load levels: for each concurrency, residents' conversations, then bare /model/parse of the
same texts at the same concurrency; optionally against a single stack started on a throwaway var dir."""

from __future__ import annotations

import dataclasses
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from lifebot.load import report
from lifebot.rasa_auth import rasa_token, with_token, without_query
from lifebot.settings import ROOT, Settings

WEBHOOK = "/webhooks/rest/webhook"
LOGS = ROOT / "var" / "bench" / "load-logs"


def base_of(url: str) -> str:
    """A Rasa base URL from either the base itself or its REST webhook URL."""
    url = url.rstrip("/")
    return url[: -len(WEBHOOK)] if url.endswith(WEBHOOK) else url


@contextmanager
def single_stack(settings: Settings, settings_path: str | None, echo):
    """API, action server and Rasa on a fresh var dir (fresh database and tracker store), removed after:
    the bench's bookings and tickets never land in a real database. Yields (Rasa's URL, its API token)."""
    from lifebot.processes import Stack

    var_dir = Path(tempfile.mkdtemp(prefix="lifebot-bench-load-"))
    env = {**os.environ, "LIFEBOT_VAR_DIR": str(var_dir), "RASA_TELEMETRY_ENABLED": "false"}
    argv = [str(Path(sys.executable).parent / "lifebot")] + (["--settings", settings_path] if settings_path else [])
    echo(f"临时数据目录 {var_dir}：载入目录、建索引…")
    subprocess.run(argv + ["setup"], check=True, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    stack = Stack(dataclasses.replace(settings, var_dir=var_dir), settings_path, echo=echo, base_env=env)
    stack.start(timeout=900)
    try:
        yield stack.settings.rasa_base_url, rasa_token(stack.settings)
    finally:
        stack.stop()
        # The logs outlive the throwaway dir: they explain the errors a run reports.
        shutil.rmtree(LOGS, ignore_errors=True)
        shutil.copytree(var_dir / "logs", LOGS)
        shutil.rmtree(var_dir, ignore_errors=True)
        echo(f"各进程的日志留在 {LOGS}")


def _post(url: str, body: dict, timeout: float) -> None:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        response.read()


def warm_up(url: str, parse_urls: list[str], token: str, timeout: float) -> None:
    """First messages load lazily built parts of the pipeline; they are not measured."""
    for text in ("你好", "居住证怎么办", "谢谢"):
        targets = [(f"{url}{WEBHOOK}", {"sender": f"load-warmup-{secrets.token_hex(4)}", "message": text})]
        targets += [(with_token(f"{parse_url}/model/parse", token), {"text": text}) for parse_url in parse_urls]
        for target, body in targets:
            try:
                _post(target, body, timeout)
            except OSError as exc:  # URLError and timeouts included
                raise RuntimeError(f"连不上 {without_query(target)}（{exc}）：Rasa 在运行吗？/model/parse 要 Rasa 带 "
                                   "--enable-api 和同一个令牌（lifebot/rasa_auth.py）。") from None


def swarm(plan: dict, work: Path, log) -> dict:
    name = f"{plan['mode']}-{plan['users']}"
    plan_path, result_path = work / f"{name}.plan.json", work / f"{name}.result.json"
    plan_path.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "lifebot.load.swarm", str(plan_path), str(result_path)], cwd=ROOT,
                   check=True, stdout=log, stderr=log, timeout=plan["seconds"] + plan["timeout"] + 120)
    return json.loads(result_path.read_text(encoding="utf-8"))


def measure(url: str, parse_urls: list[str], token: str, users: list[int], seconds: float, conversations: int,
            think: float, timeout: float, seed: int, echo) -> dict:
    run_tag = secrets.token_hex(3)
    result = {"url": url, "parse_urls": parse_urls, "started": time.time(), "seconds_per_level": seconds,
              "conversations_per_level": conversations or None, "think": think, "timeout": timeout,
              "cpus": os.cpu_count(), "load_start": [round(x, 2) for x in os.getloadavg()], "levels": []}
    warm_up(url, parse_urls, token, timeout)
    with tempfile.TemporaryDirectory(prefix="lifebot-load-") as tmp:
        work = Path(tmp)
        with open(work / "locust.log", "w") as log:
            for n in users:
                plan = {"base_url": url, "users": n, "seconds": seconds, "conversations": conversations,
                        "think": think, "timeout": timeout, "seed": seed + n, "run": f"{run_tag}-{n}"}
                before = os.getloadavg()
                echo(f"{n} 位居民对话，最多 {seconds:.0f} s…")
                chat = swarm({**plan, "mode": "chat"}, work, log)
                echo(f"{n} 个并发裸 /model/parse（同样的 {len(chat['turns'])} 句话）…")
                parse = swarm({**plan, "mode": "parse", "parse_urls": parse_urls, "token": token,
                               "texts": [t["text"] for t in chat["turns"]]}, work, log)
                result["levels"].append(report.level(chat, parse, before, os.getloadavg()))
                echo(report.table(result["levels"][-1:]).splitlines()[-1])
    result["seconds"] = round(time.time() - result["started"], 1)
    return result
