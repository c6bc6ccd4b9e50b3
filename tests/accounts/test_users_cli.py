"""`lifebot users`: accounts are made, changed and listed from the command line, with clear errors."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from accounts.staff import Staff
from lifebot.cli import main

from .conftest import PASSWORD


@pytest.fixture
def settings_file(tmp_path):
    path = tmp_path / "settings.yaml"
    path.write_text(f"var_dir: {tmp_path}\n", encoding="utf-8")
    return path


def run(settings_file, *args: str, stdin: str | None = None):
    return CliRunner().invoke(main, ["--settings", str(settings_file), "users", *args], input=stdin)


def test_add_list_roles_passwd_disable(settings_file, tmp_path):
    added = run(settings_file, "add", "wang", "--role", "operator", "--name", "王芳", "--password-stdin",
                stdin=PASSWORD + "\n")
    assert added.exit_code == 0, added.output
    assert added.output == "已创建 wang（operator）\n"
    assert run(settings_file, "roles", "wang", "--role", "operator", "--role", "reviewer").exit_code == 0
    assert run(settings_file, "list").output == "wang\t王芳\toperator,reviewer\n"
    assert run(settings_file, "passwd", "wang", "--password-stdin", stdin="Brand-new-secret-1\n").exit_code == 0
    assert run(settings_file, "disable", "wang").exit_code == 0
    assert run(settings_file, "list").output == "wang\t王芳\toperator,reviewer  [已停用]\n"
    staff = Staff(f"sqlite:///{tmp_path / 'lifebot.db'}")
    assert staff.users.authenticate("wang", "Brand-new-secret-1") is None  # disabled
    assert [(a["actor"].startswith("cli"), a["action"]) for a in staff.audit.recent()] == [
        (True, "user_disable"), (True, "user_password"), (True, "user_roles"), (True, "user_add")]
    staff.close()
    assert run(settings_file, "enable", "wang").exit_code == 0


def test_interactive_password_is_asked_twice(settings_file):
    result = run(settings_file, "add", "li", "--role", "maintainer", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0 and "已创建 li" in result.output
    assert PASSWORD not in result.output


@pytest.mark.parametrize(("args", "stdin", "message"), [
    (("add", "wang", "--role", "operator", "--password-stdin"), "short\n", "错误：密码至少 10 位"),
    (("add", "wang", "--role", "boss", "--password-stdin"), PASSWORD + "\n", "错误：角色只能是"),
    (("passwd", "nobody", "--password-stdin"), PASSWORD + "\n", "错误：没有用户 nobody"),
    (("disable", "nobody"), None, "错误：没有用户 nobody"),
])
def test_bad_requests_exit_1_with_a_chinese_message(settings_file, args, stdin, message):
    result = run(settings_file, *args, stdin=stdin)
    assert result.exit_code == 1
    assert message in result.output


def test_every_users_command_has_an_example():
    from lifebot.commands.users import users

    assert "示例：lifebot users" in users.help
    for name, command in users.commands.items():
        assert f"示例：lifebot users {name}" in command.help, name
