"""`lifebot run-scaled`: the scaled layout (nginx, PostgreSQL, Redis, several API/action/Rasa servers)."""

import time

import click

from lifebot.signals import stop_on_signals


@click.command("run-scaled")
@click.pass_obj
def run_scaled(settings) -> None:
    """在本机启动扩展部署：nginx 一个公开端口，多个 API、动作服务器和 Rasa，PostgreSQL 与 Redis（docs/scaling.md），按 Ctrl-C 全部停止。

    Example: lifebot run-scaled
    """
    from lifebot.scaled.layout import Layout

    try:
        layout = Layout(settings, echo=click.echo)
    except ValueError as exc:
        raise click.ClickException(f"设置有误：{exc}") from None
    stop_on_signals()
    try:
        try:
            layout.start()
        except (RuntimeError, TimeoutError) as exc:
            raise click.ClickException(str(exc)) from None
        click.secho("\n江阴 24 小时便民服务助手（扩展部署）已启动：", fg="green")
        for name, url in layout.urls().items():
            click.echo(f"  {name}: {url}")
        click.secho("按 Ctrl-C 停止。", fg="green")
        layout.stack.supervise()  # a process that dies is started again (docs/reliability.md)
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        click.echo("\n正在停止…")
    finally:
        layout.stop()
