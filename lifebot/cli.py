"""The ``lifebot`` command: one click group, one module per command family in lifebot/commands/."""

from __future__ import annotations

import importlib

import click

# command name -> "module:attribute"; modules are imported only when their command runs.
COMMANDS = {
    "search": "lifebot.commands.search:search",
    "index": "lifebot.commands.index:index",
    "catalog": "lifebot.commands.catalog:catalog",
    "booking": "lifebot.commands.booking:booking",
    "bench": "lifebot.commands.bench:bench",
    "model": "lifebot.commands.model:model",
    "setup": "lifebot.commands.setup:setup",
    "serve": "lifebot.commands.serve:serve",
    "run": "lifebot.commands.run:run",
    "run-scaled": "lifebot.commands.run_scaled:run_scaled",
    "route": "lifebot.commands.route:route",
    "tickets": "lifebot.commands.tickets:tickets",
    "users": "lifebot.commands.users:users",
    "backup": "lifebot.commands.backup:backup",
    "restore": "lifebot.commands.backup:restore",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, attr = target.split(":")
        return getattr(importlib.import_module(module), attr)


@click.group(cls=LazyGroup)
@click.option("--settings", "settings_path", envvar="LIFEBOT_SETTINGS", default=None,
              help="YAML settings file (default settings/lifebot.yaml).")
@click.pass_context
def main(ctx: click.Context, settings_path: str | None) -> None:
    """江阴 24 小时生活服务助手 lifebot 的管理命令。

    Example: lifebot search "居住证怎么办" --top 5 --json
    """
    from lifebot.settings import load_settings

    ctx.obj = load_settings(settings_path)
