"""Creating streams on a cluster just formed: « no suitable peers for placement » is
waited out, any other refusal is not."""

from __future__ import annotations

import asyncio

import nats.js.errors
import pytest

from csu_console.hub import placement
from csu_console.hub.placement import is_placement_error, placed


def _refusal(text: str) -> nats.js.errors.BadRequestError:
    return nats.js.errors.BadRequestError(code=400, err_code=10005, description=text)


def test_a_placement_refusal_is_retried_until_the_peers_are_there() -> None:
    calls: list[int] = []

    async def create() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise _refusal("no suitable peers for placement, peer offline")
        return "créé"

    assert asyncio.run(placed(create, "CSU_ALERTS")) == "créé"
    assert len(calls) == 3


def test_another_refusal_is_raised_at_once() -> None:
    calls: list[int] = []

    async def create() -> None:
        calls.append(1)
        raise _refusal("stream name already in use with a different configuration")

    with pytest.raises(nats.js.errors.BadRequestError):
        asyncio.run(placed(create, "CSU_ALERTS"))
    assert calls == [1]
    assert not is_placement_error(ValueError("no suitable peers"))


def test_the_wait_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(placement, "PLACEMENT_WAIT_S", 0.5)

    async def create() -> None:
        raise _refusal("no suitable peers for placement")

    with pytest.raises(nats.js.errors.BadRequestError):
        asyncio.run(placed(create, "KV_csu_claims"))
