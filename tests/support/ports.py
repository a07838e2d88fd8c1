"""Free loopback ports for servers a test starts."""

from sufficiency.stack.processes import free_port

__all__ = ["free_port"]
