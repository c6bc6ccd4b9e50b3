"""`lifebot backup` and `lifebot restore` as an operator runs them: Chinese messages, exit codes."""

from __future__ import annotations

import yaml
from click.testing import CliRunner

from lifebot.cli import main
from lifebot.settings import load_settings
from tests.ops.data import populate
from tests.pg import free_port


def test_backup_then_restore_from_the_command_line(tmp_path):
    settings_file = tmp_path / "ops.yaml"
    ports = {name: free_port() for name in ("api_port", "rasa_port", "actions_port")}
    settings_file.write_text(yaml.safe_dump({"var_dir": str(tmp_path / "var"), **ports}), encoding="utf-8")
    settings = load_settings(settings_file, env={})
    populate(settings, f"sqlite:///{settings.tracker_db}")
    runner = CliRunner()
    env = {"LIFEBOT_TRACKER_URL": "", "LIFEBOT_SETTINGS": ""}

    made = runner.invoke(main, ["--settings", str(settings_file), "backup", "--out", str(tmp_path / "b")], env=env)
    assert made.exit_code == 0, made.output
    assert "目录数据库：sqlite" in made.output and "备份完成：" in made.output
    folder = made.output.strip().splitlines()[-1].split("备份完成：", 1)[1]

    missing = runner.invoke(main, ["--settings", str(settings_file), "restore", str(tmp_path / "nowhere")], env=env)
    assert missing.exit_code == 1
    assert f"备份目录不存在：{tmp_path / 'nowhere'}（missing_backup）" in missing.output

    done = runner.invoke(main, ["--settings", str(settings_file), "restore", folder], env=env)
    assert done.exit_code == 0, done.output
    assert "目录数据库：已恢复；原来的数据保留在" in done.output and "恢复完成" in done.output
    assert len(list((tmp_path / "var").glob("lifebot.db.aside-*"))) == 1
    listed = runner.invoke(main, ["--settings", str(settings_file), "users", "list"], env=env)
    assert listed.exit_code == 0 and listed.output.split() == ["wang", "王芳", "operator"]


def test_backup_without_a_database_says_to_set_up_first_and_leaves_no_folder(tmp_path):
    settings_file = tmp_path / "ops.yaml"
    settings_file.write_text(yaml.safe_dump({"var_dir": str(tmp_path / "var")}), encoding="utf-8")
    result = CliRunner().invoke(main, ["--settings", str(settings_file), "backup", "--out", str(tmp_path / "b")],
                                env={"LIFEBOT_TRACKER_URL": "", "LIFEBOT_SETTINGS": ""})
    assert result.exit_code == 1
    assert f"没有找到目录数据库 {tmp_path / 'var' / 'lifebot.db'}：先运行 lifebot setup（missing_database）" in result.output
    assert list((tmp_path / "b").iterdir()) == []
