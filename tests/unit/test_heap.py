"""Freed C memory goes back to the system (glibc's ``malloc_trim``), measured on
this process's own resident memory."""

from __future__ import annotations

from csu_console.heap import resident_bytes, trim_heap

MB = 1_000_000


def test_free_pages_inside_the_heap_go_back_to_the_system() -> None:
    # 2-KB blocks come from glibc's heap (not Python's small-object allocator, not
    # mmap); the block allocated last keeps the heap's top in place, so freeing
    # the others leaves 100 MB of free pages that only a trim gives back.
    blocks = [bytes(2000) for _ in range(50_000)]
    pin = bytes(2000)
    del blocks
    before = resident_bytes()
    assert trim_heap()
    after = resident_bytes()
    assert before is not None and after is not None
    assert before - after >= 50 * MB, (before / MB, after / MB)
    assert len(pin) == 2000


def test_resident_memory_is_read_from_proc() -> None:
    rss = resident_bytes()
    assert rss is not None and rss > 10 * MB


_ARENAS_PROBE = """
import sys, threading
from csu_console.heap import limit_arenas
limited = limit_arenas() if sys.argv[1] == "limit" else False
barrier = threading.Barrier(12)
def work():
    barrier.wait()  # all at once: glibc gives a contended thread an arena of its own
    for _ in range(3000):
        blocks = [bytes(2000) for _ in range(10)]
threads = [threading.Thread(target=work) for _ in range(12)]
for t in threads: t.start()
for t in threads: t.join()
# A thread arena is a heap of its own, mapped on a 64-MiB boundary, anonymous.
arenas = sum(
    1 for line in open("/proc/self/maps")
    if len(line.split()) < 6 and int(line.split("-")[0], 16) % (64 << 20) == 0
)
print(limited, arenas)
"""


def _arenas(mode: str, env: dict[str, str] | None = None) -> tuple[bool, int]:
    import os
    import subprocess
    import sys

    run_env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
    run_env.update(env or {})
    out = subprocess.run(
        [sys.executable, "-c", _ARENAS_PROBE, mode],
        capture_output=True, text=True, check=True, env=run_env, timeout=60,
    ).stdout.split()  # fmt: skip
    return out[0] == "True", int(out[1])


def test_limited_arenas_serve_many_threads_from_one_shared_arena() -> None:
    free_limited, free_arenas = _arenas("free")
    limited, arenas = _arenas("limit")
    assert not free_limited and limited
    assert arenas <= 1 < free_arenas, (arenas, free_arenas)


def test_the_administrators_malloc_arena_max_wins() -> None:
    limited, arenas = _arenas("limit", {"MALLOC_ARENA_MAX": "4"})
    assert not limited
    assert 1 < arenas <= 3, arenas  # glibc's own cap: 4 arenas, the main one and 3
