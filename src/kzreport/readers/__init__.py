"""Readers of built outputs for ``verify``, one per format, each called by its renderer."""
