"""PostgreSQL Flexible Server: Entra ID only, with an Entra administrator, and no literal password."""
from ..values import Ref, Unknown
from .base import is_false, is_true, rule

PG = "azurerm_postgresql_flexible_server"
PG_ADMIN = "azurerm_postgresql_flexible_server_active_directory_administrator"


@rule("PG001", "postgres_entra_auth", "PostgreSQL accepts Entra ID authentication", resource_types=(PG,),
      rationale="Apps and people sign in with Entra ID tokens (managed identities included) instead of passwords.",
      learn_url="https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-azure-ad-authentication")
def entra(rule, model, policy):
    return rule.expect_each(model, (PG,), "authentication.active_directory_auth_enabled", is_true, "true",
                       "add authentication { active_directory_auth_enabled = true, tenant_id = ... }")


@rule("PG002", "postgres_password_auth_off", "PostgreSQL password authentication is off", resource_types=(PG,),
      rationale="While password authentication is on, the administrator password (in state) opens the server.",
      learn_url="https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-azure-ad-authentication")
def password_off(rule, model, policy):
    return rule.expect_each(model, (PG,), "authentication.password_auth_enabled", is_false, "false",
                       "set authentication { password_auth_enabled = false } and drop administrator_login/password; "
                       "migrations run as a member of the Entra admin group with a token")


def _admin_targets(admin, server) -> bool:
    sid = admin.get("server_id")
    if isinstance(sid, Ref) and sid.address == server.address:
        return True
    name = admin.get("server_name")
    if isinstance(name, Ref):
        return name.address == server.address and name.path == "name"
    server_name = server.get("name")
    return isinstance(name, str) and isinstance(server_name, str) and name == server_name


@rule("PG003", "postgres_entra_admin", "Every PostgreSQL server has an Entra ID administrator",
      resource_types=(PG, PG_ADMIN),
      rationale="Entra ID sign-in needs an Entra administrator to create the identities' roles; without one the "
                "server ends up administered with a password.",
      learn_url="https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-azure-ad-authentication")
def admin(rule, model, policy):
    admins = model.of_type(PG_ADMIN)
    out = []
    for res in model.of_type(PG):
        if not any(_admin_targets(a, res) for a in admins):
            out.append(rule.finding(model, res, "", "no Entra ID administrator is configured for this server",
                               f"add {PG_ADMIN} for an Entra group (server_name = this server's name)"))
    return out


@rule("PG004", "postgres_no_literal_password", "No PostgreSQL administrator password comes from a literal",
      resource_types=(PG,),
      rationale="A password written in the configuration or a var file is in Git history and every clone.",
      learn_url="https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-azure-ad-authentication")
def literal_password(rule, model, policy):
    out = []
    for res in model.of_type(PG):
        for attr in ("administrator_password", "administrator_password_wo"):
            value = res.get(attr)
            if value is None or isinstance(value, (Ref, Unknown)):
                continue
            out.append(rule.finding(model, res, attr,
                               f"{attr} is a literal value written in the configuration or tfvars",
                               "remove the password: the server is Entra-only"))
    return out
