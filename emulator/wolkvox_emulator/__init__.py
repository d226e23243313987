"""A local stand-in for Wolkvox's Reports Manager API, for the demo, tests and benchmarks."""
