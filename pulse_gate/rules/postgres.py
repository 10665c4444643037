"""PostgreSQL Flexible Server: Entra ID only, with an Entra administrator, and no literal password."""
from ..values import Ref, Unknown
from .base import expect_each, finding, is_false, is_true, rule

PG = "azurerm_postgresql_flexible_server"
PG_ADMIN = "azurerm_postgresql_flexible_server_active_directory_administrator"


@rule("PG001", "postgres_entra_auth", "PostgreSQL accepts Entra ID authentication")
def entra(model, policy):
    return expect_each("PG001", model, (PG,), "authentication.active_directory_auth_enabled", is_true, "true",
                       "add authentication { active_directory_auth_enabled = true, tenant_id = ... }")


@rule("PG002", "postgres_password_auth_off", "PostgreSQL password authentication is off")
def password_off(model, policy):
    return expect_each("PG002", model, (PG,), "authentication.password_auth_enabled", is_false, "false",
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


@rule("PG003", "postgres_entra_admin", "Every PostgreSQL server has an Entra ID administrator")
def admin(model, policy):
    admins = model.of_type(PG_ADMIN)
    out = []
    for res in model.of_type(PG):
        if not any(_admin_targets(a, res) for a in admins):
            out.append(finding("PG003", model, res, "", "no Entra ID administrator is configured for this server",
                               f"add {PG_ADMIN} for an Entra group (server_name = this server's name)"))
    return out


@rule("PG004", "postgres_no_literal_password", "No PostgreSQL administrator password comes from a literal")
def literal_password(model, policy):
    out = []
    for res in model.of_type(PG):
        for attr in ("administrator_password", "administrator_password_wo"):
            value = res.get(attr)
            if value is None or isinstance(value, (Ref, Unknown)):
                continue
            out.append(finding("PG004", model, res, attr,
                               f"{attr} is a literal value written in the configuration or tfvars",
                               "remove the password: the server is Entra-only"))
    return out
