"""``csu-hub``: the CSU's alert hub on NATS JetStream (Qt-free, asyncio).

Upstream gateways in, stations out, every durable thing in JetStream: alerts, the
stations' durable consumers, shared claims, units and presence (key-value buckets
with compare-and-set). A hub process keeps no state of its own, so several can
serve one CSU side by side. See ``docs/architecture.md``.
"""
