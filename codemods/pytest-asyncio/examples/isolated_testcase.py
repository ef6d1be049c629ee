import unittest
from unittest import IsolatedAsyncioTestCase


class TestService(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        self.value = 1

    async def test_value(self):
        self.assertEqual(self.value, 1)


class TestOther(IsolatedAsyncioTestCase):
    async def test_nothing(self):
        pass


class TestPlain(unittest.TestCase):
    def test_sync(self):
        pass
