"""Post-deploy verification: the role assignments Azure holds against the policy data (principals resolved through
Microsoft Graph), and the keyless settings of the deployed resources against the Terraform intent.

Modules: `outputs` (terraform outputs -> Environment), `diff` (pure comparison of role assignments), `posture` (pure
comparison of deployed settings with the gate's model of the environment), `client` (the only code that talks to
Azure: ARM and Graph), `report` (text/JSON rendering), `cli` (argument parsing and exit codes).
"""
