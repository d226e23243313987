"""Singer tap for Wolkvox's Reports Manager API."""

__version__ = "0.4.0"
