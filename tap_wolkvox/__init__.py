"""Singer tap for Wolkvox's Reports Manager API."""
