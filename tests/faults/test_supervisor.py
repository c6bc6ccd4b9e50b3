"""lifebot.processes.Stack.supervise: a process that dies is started again, with backoff and a line."""

from __future__ import annotations

import os
import signal
import sys
import time

from lifebot.processes import Service, Stack, _healthy
from tests.pg import free_port


def web_server(tmp_path, name: str) -> Service:
    port = free_port()
    return Service(name, [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
                   f"http://127.0.0.1:{port}/", tmp_path / f"{name}.log")


def wait_for(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_killed_process_is_restarted_with_backoff_and_a_log_line(test_settings, tmp_path):
    lines: list[str] = []
    stack = Stack(test_settings, echo=lines.append, base_env=dict(os.environ))
    stack.services = [web_server(tmp_path, "one"), web_server(tmp_path, "two")]
    stack.start(timeout=30)
    try:
        stack.supervise(poll=0.05, backoff=(0.2, 1.5))
        one, two = stack.services
        first_pid = one.process.pid
        os.killpg(first_pid, signal.SIGKILL)
        wait_for(lambda: one.restarts == 1 and _healthy(one.health_url))
        assert one.process.pid != first_pid and two.restarts == 0
        restart_lines = [line for line in lines if "意外退出" in line]
        assert len(restart_lines) == 1 and restart_lines[0].startswith("one 意外退出（退出码 -9")
        assert "0 秒后自动重启" in restart_lines[0] and str(one.log_path) in restart_lines[0]

        # It died again soon after starting: the next restart waits longer (the second backoff step).
        os.killpg(one.process.pid, signal.SIGKILL)
        wait_for(lambda: sum("意外退出" in line for line in lines) == 2)
        died = time.monotonic()
        assert "2 秒后自动重启" in lines[-1]
        wait_for(lambda: one.restarts == 2)
        assert time.monotonic() - died >= 1.2
        wait_for(lambda: _healthy(one.health_url))
    finally:
        stack.stop()
    assert all(s.process.poll() is not None for s in stack.services)
    time.sleep(0.3)  # stopped on purpose: nothing is started again
    assert all(s.process.poll() is not None for s in stack.services) and stack.services[0].restarts == 2


def test_children_left_by_a_dead_process_are_ended_before_the_restart(test_settings, tmp_path):
    """Only the parent is killed (as the OOM killer does): its child still holds the port."""
    port = free_port()
    parent = Service("parent", ["sh", "-c", f"{sys.executable} -m http.server {port} --bind 127.0.0.1 & wait"],
                     f"http://127.0.0.1:{port}/", tmp_path / "parent.log")
    stack = Stack(test_settings, echo=lambda _: None, base_env=dict(os.environ))
    stack.services = [parent]
    stack.start(timeout=30)
    try:
        stack.supervise(poll=0.05, backoff=(0.2,))
        os.kill(parent.process.pid, signal.SIGKILL)
        wait_for(lambda: parent.restarts == 1)
        wait_for(lambda: _healthy(parent.health_url) and parent.process.poll() is None)
        time.sleep(1.0)  # had the old child kept the port, the new server would have died by now
        assert parent.process.poll() is None and parent.restarts == 1
    finally:
        stack.stop()
