"""`python -m pulse_gate.verify ...`"""
from .cli import main

raise SystemExit(main())
