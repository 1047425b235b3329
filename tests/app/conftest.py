"""A real SMTP server (aiosmtpd) on 127.0.0.1 for the delivery tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers import smtp_server
from tests.helpers.smtp_server import Sink


@pytest.fixture
def plain_server() -> Iterator[tuple[Sink, int]]:
    sink = Sink()
    controller = smtp_server.start(sink, tls=None)
    try:
        yield sink, controller.port
    finally:
        controller.stop()
