"""`lifebot run`: start the whole assistant and stop it all on Ctrl-C or SIGTERM."""

import time

import click

from lifebot.signals import stop_on_signals


@click.command()
@click.pass_context
def run(ctx: click.Context) -> None:
    """启动整个助手（API、动作服务器、Rasa），按 Ctrl-C 全部停止。

    Example: lifebot run
    """
    from lifebot.processes import Stack

    settings = ctx.obj
    stack = Stack(settings, ctx.parent.params.get("settings_path"), echo=click.echo)
    stop_on_signals()
    try:
        try:
            stack.start()
        except (RuntimeError, TimeoutError) as exc:
            raise click.ClickException(str(exc)) from None
        chat = f"http://{settings.api_host}:{settings.api_port}/chat"
        click.secho(f"\n江阴 24 小时便民服务助手已启动。网页聊天: {chat}\n按 Ctrl-C 停止。", fg="green")
        staff_pages(settings)
        stack.supervise()  # a process that dies is started again, with a line here (docs/reliability.md)
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        click.echo("\n正在停止…")
    finally:
        stack.stop()


def staff_pages(settings) -> None:
    """Where staff work, and how to make the first account when there is none."""
    from accounts.staff import Staff

    base = f"http://{settings.api_host}:{settings.api_port}"
    click.echo(f"热线坐席台: {base}/console  目录维护后台: {base}/admin")
    staff = Staff.from_settings(settings)
    try:
        if not staff.users.all():
            click.echo("还没有工作人员账号，先创建：.venv/bin/lifebot users add 用户名 --role operator（或 maintainer、reviewer）")
    finally:
        staff.close()
