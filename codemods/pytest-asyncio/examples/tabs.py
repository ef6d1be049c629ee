import pytest
import pytest_asyncio


class TestTabs:
	@pytest_asyncio.fixture
	async def fx(self):
		return 1

	@pytest.fixture
	def event_loop(self):
		yield None

	@pytest.mark.asyncio(loop_scope="class")
	async def test_tabs(self, fx):
		assert fx == 1
