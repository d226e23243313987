"""Tests for tap-wolkvox."""
