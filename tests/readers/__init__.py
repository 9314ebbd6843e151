"""Tests of the readers (a package: its module names would clash with tests/renderers/)."""
