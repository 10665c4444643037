"""PULSE policy gate: evaluates Terraform per environment and enforces the keyless rules."""
