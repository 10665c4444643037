"""PULSE policy gate: evaluates Terraform per environment and enforces the keyless rules."""

__version__ = "0.12.0"
