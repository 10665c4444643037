"""Post-deploy RBAC verification: compares the role assignments Azure holds with the policy data.

Modules: `outputs` (terraform outputs -> Environment), `diff` (pure comparison), `client` (the only code that
talks to Azure), `report` (text/JSON rendering), `cli` (argument parsing and exit codes).
"""
