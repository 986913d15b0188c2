"""Give the C heap's free memory back to the system (Qt-free).

A console runs for weeks. Its threads (decoders opened and closed with every alert
on the wall, the storage, the map's workers) allocate through glibc's ``malloc``,
whose arenas keep the pages of what was freed: the process's resident memory then
climbs by tens of megabytes and stays there, though Python and Qt hold nothing
more. ``malloc_trim(0)`` hands those free pages back (Linux, glibc); elsewhere
:func:`trim_heap` does nothing and says so.

Trimming returns only whole free pages. glibc also gives each thread that
allocates at the same time as another its own arena, up to eight per core; each
keeps its own high-water mark and its own scattered free chunks, and a console's
fifty threads fill sixteen of them. :func:`limit_arenas` caps them at
:data:`ARENAS` for the whole process (measured in ``docs/benchmarks.md``, « Soak
») . It must run before any thread allocates: first thing in each service's
``main``. ``MALLOC_ARENA_MAX`` in the environment, when set, wins.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from functools import cache

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096

#: Arenas for the whole process: the main one and one shared by the other threads.
#: The GUI thread and the decoders rarely allocate at the same instant (the GIL
#: serialises the Python side), so the lock is seldom contended.
ARENAS = 2
_M_ARENA_MAX = -8  # glibc's mallopt parameter (malloc.h)


@cache
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        return ctypes.CDLL(name)
    except OSError:
        return None


@cache
def _malloc_trim() -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    libc = _libc()
    try:
        fn = libc.malloc_trim if libc is not None else None
    except AttributeError:  # not glibc (musl, macOS)
        return None
    if fn is None:
        return None
    fn.argtypes = [ctypes.c_size_t]
    fn.restype = ctypes.c_int
    return fn


def resident_bytes() -> int | None:
    """This process's resident memory (Linux ``/proc``), None where unknown."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return None


def trim_heap() -> bool:
    """Return the heap's free pages to the system; False where it cannot be done."""
    fn = _malloc_trim()
    if fn is None:
        return False
    fn(0)
    return True


def limit_arenas(arenas: int = ARENAS) -> bool:
    """Cap glibc's malloc arenas for this process (see the module docstring).

    Returns False, changing nothing, where it cannot be done (not glibc) or where
    ``MALLOC_ARENA_MAX`` is set (the administrator's choice, already applied by
    glibc). Call it before any thread allocates: arenas already made stay.
    """
    if os.environ.get("MALLOC_ARENA_MAX"):
        return False
    libc = _libc()
    try:
        mallopt = libc.mallopt if libc is not None else None
    except AttributeError:
        return False
    if mallopt is None:
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_ARENA_MAX, arenas))
