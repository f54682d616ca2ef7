"""Helpers shared by several test suites (not tests themselves)."""
