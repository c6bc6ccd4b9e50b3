from tests.pg import postgres_fixtures, pytest_terminal_summary  # noqa: F401 (the loud summary)

postgres_server, postgres_url = postgres_fixtures()
