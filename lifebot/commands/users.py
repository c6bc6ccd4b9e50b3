"""``lifebot users ...``: staff accounts for the operators' console and the maintainers' admin."""

from __future__ import annotations

import getpass
import sys
from typing import Any

import click

ROLE_HELP = "角色：operator（话务员）、maintainer（目录维护员）、reviewer（审核员），可重复"


class UsersCommandError(click.ClickException):
    def show(self, file: Any = None) -> None:
        click.echo(f"错误：{self.format_message()}", err=True)


def _staff(ctx: click.Context):
    from accounts.staff import Staff
    from lifebot.settings import load_settings

    settings = ctx.find_root().obj or load_settings()
    staff = Staff.from_settings(settings)
    ctx.call_on_close(staff.close)
    return staff


def _cli_actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("密码", hide_input=True, confirmation_prompt="再输入一次")


def _run(func, *args):
    from accounts.errors import AccountError

    try:
        return func(*args)
    except AccountError as exc:
        raise UsersCommandError(exc.message) from None


@click.group()
def users() -> None:
    """管理工作人员账号（话务员、目录维护员、审核员）。没有默认账号：先用 add 创建。

    \b
    示例：lifebot users add wang --role operator --name 王芳
    """


@users.command()
@click.argument("username")
@click.option("--role", "roles", multiple=True, required=True, help=ROLE_HELP)
@click.option("--name", "display_name", default="", help="显示的姓名（默认同用户名）")
@click.option("--password-stdin", is_flag=True, help="从标准输入读一行作为密码（脚本用），否则交互输入")
@click.pass_context
def add(ctx: click.Context, username: str, roles: tuple[str, ...], display_name: str, password_stdin: bool) -> None:
    """创建账号（密码至少 10 位，用 argon2id 哈希保存）。

    \b
    示例：lifebot users add li --role maintainer --role reviewer --name 李强
    """
    staff = _staff(ctx)
    user = _run(staff.users.create, username, _password(password_stdin), list(roles), display_name)
    staff.audit.record(_cli_actor(), "user_add", user.username, {"roles": list(user.roles)})
    click.echo(f"已创建 {user.username}（{'、'.join(user.roles)}）")


@users.command(name="list")
@click.pass_context
def list_(ctx: click.Context) -> None:
    """列出账号。

    \b
    示例：lifebot users list
    """
    for user in _staff(ctx).users.all():
        state = "" if user.active else "  [已停用]"
        click.echo(f"{user.username}\t{user.display_name}\t{','.join(user.roles)}{state}")


@users.command()
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="从标准输入读一行作为密码")
@click.pass_context
def passwd(ctx: click.Context, username: str, password_stdin: bool) -> None:
    """重设密码；该账号已登录的会话全部失效。

    \b
    示例：lifebot users passwd wang
    """
    staff = _staff(ctx)
    _run(staff.users.set_password, username, _password(password_stdin))
    staff.audit.record(_cli_actor(), "user_password", username.lower())
    click.echo(f"已重设 {username} 的密码")


@users.command()
@click.argument("username")
@click.option("--role", "roles", multiple=True, required=True, help=ROLE_HELP)
@click.pass_context
def roles(ctx: click.Context, username: str, roles: tuple[str, ...]) -> None:
    """改账号的角色。

    \b
    示例：lifebot users roles wang --role operator --role reviewer
    """
    staff = _staff(ctx)
    user = _run(staff.users.set_roles, username, list(roles))
    staff.audit.record(_cli_actor(), "user_roles", user.username, {"roles": list(user.roles)})
    click.echo(f"{user.username} 的角色：{'、'.join(user.roles)}")


def _set_active(ctx: click.Context, username: str, active: bool) -> None:
    staff = _staff(ctx)
    _run(staff.users.set_active, username, active)
    staff.audit.record(_cli_actor(), "user_enable" if active else "user_disable", username.lower())
    click.echo(f"已{'启用' if active else '停用'} {username}")


@users.command()
@click.argument("username")
@click.pass_context
def disable(ctx: click.Context, username: str) -> None:
    """停用账号（立即登出）。

    \b
    示例：lifebot users disable wang
    """
    _set_active(ctx, username, False)


@users.command()
@click.argument("username")
@click.pass_context
def enable(ctx: click.Context, username: str) -> None:
    """重新启用账号。

    \b
    示例：lifebot users enable wang
    """
    _set_active(ctx, username, True)
