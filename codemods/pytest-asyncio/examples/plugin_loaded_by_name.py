"""A conftest that loads pytest-asyncio by name: once the migration uninstalls it, pytest stops
at start-up ("No module named 'pytest_asyncio'"), so the name goes and the other plugins stay."""
pytest_plugins = ["pytester", "pytest_asyncio"]
