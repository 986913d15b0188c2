"""Qt-free domain core: alerts, protocol, geometry, rules."""
