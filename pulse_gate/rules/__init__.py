"""Rules: pure functions Model -> findings, each registered as a self-describing Rule. Importing this package
registers every rule."""
from .base import RULES, Finding, Rule, catalog, run_rules  # noqa: F401
from . import apps, evaluation, keyvault, openai, platform, postgres, rbac, storage  # noqa: F401  (registration)
from . import guardrails, monitoring  # noqa: F401,E402  (registration; issue 11)
