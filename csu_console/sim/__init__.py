"""The alert gateway simulator (``csu-sim``): the gateway side of protocol v1."""
