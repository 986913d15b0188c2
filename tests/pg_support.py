"""The tests' throwaway PostgreSQL cluster: see :mod:`csu_console.central.cluster`."""

from __future__ import annotations

from csu_console.central.cluster import PgCluster, pg_bin, start_cluster

__all__ = ["PgCluster", "pg_bin", "start_cluster"]
