"""`lifebot serve`: run the life-service API alone (the stack runner starts it this way)."""

import click


@click.command()
@click.pass_obj
def serve(settings) -> None:
    """启动生活服务 API（默认 127.0.0.1:8080）。

    Example: lifebot serve
    """
    from api.main import run

    run(settings)
