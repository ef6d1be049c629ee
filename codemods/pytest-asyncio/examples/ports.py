"""pytest-asyncio's port fixtures → anyio's free_* fixtures."""
import socket

import pytest


@pytest.mark.asyncio
async def test_tcp(unused_tcp_port):
    with socket.socket() as s:
        s.bind(("127.0.0.1", unused_tcp_port))
        assert s.getsockname()[1] == unused_tcp_port


@pytest.fixture
def two_ports(unused_udp_port_factory):
    return unused_udp_port_factory(), unused_udp_port_factory()


def test_already_taken(unused_tcp_port, free_tcp_port):
    """`free_tcp_port` is taken here: left alone."""
    assert unused_tcp_port != free_tcp_port
