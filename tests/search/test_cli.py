import json

import pytest
from click.testing import CliRunner

from lifebot.cli import main

from .conftest import fixture_entries


@pytest.fixture(scope="module")
def settings_file(tmp_path_factory):
    from catalog.store import CatalogStore
    from lifebot.settings import Settings

    var = tmp_path_factory.mktemp("var")
    # jieba_dict_dir is shared by every settings variant (ROOT/var/jieba): keep tests out of it.
    patch = pytest.MonkeyPatch()
    patch.setattr(Settings, "jieba_dict_dir", property(lambda self: self.var_dir / "jieba"))
    path = var / "settings.yaml"
    path.write_text(f"var_dir: {var}\n", encoding="utf-8")
    store = CatalogStore(f"sqlite:///{var / 'lifebot.db'}")
    store.put_many(fixture_entries(), author="tests", reason="测试数据")
    store.close()
    yield path
    patch.undo()


def run(settings_file, *args):
    return CliRunner().invoke(main, ["--settings", str(settings_file), *args], env={"LIFEBOT_VAR_DIR": ""})


def test_index_build_and_status(settings_file):
    result = run(settings_file, "index", "build")
    assert result.exit_code == 0, result.output
    assert "索引就绪：40 条服务" in result.output
    status = run(settings_file, "index", "status", "--json")
    assert status.exit_code == 0, status.output
    report = json.loads(status.stdout)
    assert report["up_to_date"] is True and report["entries"] == 40
    # Rasa's dictionary is `lifebot setup`'s to write (from the seed files), never the index's.
    assert not (settings_file.parent / "jieba").exists()


def test_search_json(settings_file):
    result = run(settings_file, "search", "孩子要上户口", "--top", "3", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert set(out) == {"query", "confident", "results"}
    assert out["results"][0]["id"] == "gov-ga-001"
    assert len(out["results"]) == 3


def test_search_table_and_explain(settings_file):
    result = run(settings_file, "search", "房子过户", "--explain", "--kind", "government")
    assert result.exit_code == 0, result.output
    assert "不动产转移登记" in result.output and "语义相似度" in result.output


@pytest.mark.parametrize("query", ["", "   ", "户" * 501])
def test_bad_query_exits_2(settings_file, query):
    result = run(settings_file, "search", query, "--json")
    assert result.exit_code == 2
    assert json.loads(result.stdout.splitlines()[0])["error"] in ("empty_query", "query_too_long")


def test_every_command_has_an_example():
    from lifebot.commands.bench import bench
    from lifebot.commands.index import index
    from lifebot.commands.search import search

    for cmd in (search, index, *index.commands.values(), bench, *bench.commands.values()):
        assert "Example: lifebot" in (cmd.help or ""), cmd.name
