"""Every app rule on every app type it applies to: Linux and Windows web and function apps, their slots, and Flex
Consumption. A hardened app of each type, added to a copy of the good fixture, is quiet; each bad variant of it
fires the rule for that app (and only the rules that variant implies)."""
from __future__ import annotations

import shutil

import pytest

from pulse_gate.gate import env_models
from pulse_gate.rules import run_rules

from .test_rules import GOOD, POLICY

RG = ("  resource_group_name = azurerm_resource_group.main.name\n"
      "  location            = azurerm_resource_group.main.location\n")
HARDENED = {
    "https_only": "true",
    "ftp_publish_basic_authentication_enabled": "false",
    "webdeploy_publish_basic_authentication_enabled": "false",
}
SITE = {"ftps_state": '"Disabled"', "minimum_tls_version": '"1.2"', "scm_minimum_tls_version": '"1.2"',
        "remote_debugging_enabled": "false"}
FUNCTION = {"storage_account_name": "azurerm_storage_account.main.name", "storage_uses_managed_identity": "true"}
# A slot's parent, written beside it so that a Windows slot belongs to a Windows app.
PARENTS = {
    "azurerm_linux_web_app_slot": ("app_service_id", "azurerm_linux_web_app"),
    "azurerm_windows_web_app_slot": ("app_service_id", "azurerm_windows_web_app"),
    "azurerm_linux_function_app_slot": ("function_app_id", "azurerm_linux_function_app"),
    "azurerm_windows_function_app_slot": ("function_app_id", "azurerm_windows_function_app"),
}
WEB = ["azurerm_linux_web_app", "azurerm_windows_web_app", "azurerm_linux_web_app_slot", "azurerm_windows_web_app_slot"]
FUNC = ["azurerm_linux_function_app", "azurerm_windows_function_app", "azurerm_linux_function_app_slot",
        "azurerm_windows_function_app_slot"]
FLEX = "azurerm_function_app_flex_consumption"
ALL = WEB + FUNC + [FLEX]


def _block(rtype: str, name: str, args: dict, site: dict, settings: dict, identity: bool = True) -> str:
    lines = [f'resource "{rtype}" "{name}" {{', f'  name = "{name}"']
    if rtype in PARENTS:
        attr, parent = PARENTS[rtype]
        lines.append(f"  {attr} = {parent}.parent.id")
    else:
        lines += [RG.rstrip("\n")]
    args = {"service_plan_id": None if rtype in PARENTS else "azurerm_service_plan.main.id", **args}
    lines += [f"  {k} = {v}" for k, v in args.items() if v is not None]
    if identity:
        lines += ["  identity {", '    type = "SystemAssigned"', "  }"]
    lines += ["  site_config {"] + [f"    {k} = {v}" for k, v in site.items() if v is not None] + ["  }"]
    if settings:
        lines += ["  app_settings = {"] + [f"    {k} = {v}" for k, v in settings.items()] + ["  }"]
    # Its audit trail, as every app in the good fixture has (MO001 is tested in test_rules).
    lines += ["}", "", f'resource "azurerm_monitor_diagnostic_setting" "audit_{name}" {{', f'  name = "diag-{name}"',
              f"  target_resource_id = {rtype}.{name}.id",
              "  log_analytics_workspace_id = azurerm_log_analytics_workspace.main.id",
              "  enabled_log {", '    category_group = "allLogs"', "  }"]
    return "\n".join(lines + ["}", ""])


def _defaults(rtype: str) -> tuple[dict, dict]:
    if rtype == FLEX:
        args = {"https_only": "true", "webdeploy_publish_basic_authentication_enabled": "false",
                "storage_authentication_type": '"SystemAssignedIdentity"', "runtime_name": '"python"',
                "runtime_version": '"3.11"', "storage_container_type": '"blobContainer"',
                "storage_container_endpoint": '"https://stfixture.blob.core.windows.net/deploy"'}
        site = {k: v for k, v in SITE.items() if k != "ftps_state"}
        return args, site
    args = dict(HARDENED, **(FUNCTION if rtype in FUNC else {}))
    return args, dict(SITE)


def app(rtype: str, args: dict | None = None, site: dict | None = None, settings: dict | None = None,
        identity: bool = True) -> str:
    """A hardened app of rtype named "subject" (with its slot parent), with the given arguments overridden."""
    base_args, base_site = _defaults(rtype)
    text = ""
    if rtype in PARENTS:
        parent = PARENTS[rtype][1]
        text += _block(parent, "parent", *_defaults(parent), {})
    return text + _block(rtype, "subject", {**base_args, **(args or {})}, {**base_site, **(site or {})},
                         settings or {}, identity)


def _findings(tmp_path, extra: str):
    root = tmp_path / "tree"
    shutil.copytree(GOOD, root)
    (root / "apps_extra.tf").write_text(extra)
    [model] = env_models(str(root), ["test"])
    return run_rules(model, POLICY)


@pytest.mark.parametrize("rtype", ALL)
def test_hardened_app_of_every_type_is_quiet(tmp_path, rtype):
    findings = _findings(tmp_path, app(rtype))
    assert findings == [], "\n".join(f.line_text() for f in findings)


CONSUMPTION_PLAN = ('resource "azurerm_service_plan" "consumption" {\n  name = "asp-y1"\n' + RG +
                    '  os_type  = "Linux"\n  sku_name = "Y1"\n}\n')

# (case, rule, types, variant of the hardened app, phrase in the finding)
VARIANTS = [
    # a function app's host storage needs the system-assigned identity too
    ("no-identity", "AP001", ALL, {"identity": False, "also": {"AP002"}}, "identity.type is not set"),
    ("host-storage-key", "AP002", FUNC, {"args": {"storage_uses_managed_identity": "false"}},
     "storage_uses_managed_identity is false"),
    ("flex-host-storage-key", "AP002", [FLEX],
     {"args": {"storage_authentication_type": '"StorageAccountConnectionString"'}}, "storage_authentication_type is"),
    ("consumption-plan", "AP003", FUNC, {"args": {"service_plan_id": "azurerm_service_plan.consumption.id"},
                                         "extra": CONSUMPTION_PLAN}, "Y1 (Consumption/Elastic Premium)"),
    ("password-setting", "AP004", ALL, {"settings": {"DB_PASSWORD": '"hunter2"'}}, "named like a credential"),
    ("mi-flag-off", "AP005", ALL, {"settings": {"STORAGE_USE_MANAGED_IDENTITY": '"false"'}},
     "fall back to a key"),
    ("http", "AP006", ALL, {"args": {"https_only": "false"}}, "https_only is false"),
    ("ftp", "AP007", WEB + FUNC, {"site": {"ftps_state": '"AllAllowed"'}}, "ftps_state is \"AllAllowed\""),
    ("tls11", "AP008", ALL, {"site": {"minimum_tls_version": '"1.1"'}}, "minimum_tls_version is \"1.1\""),
    ("scm-tls10", "AP008", ALL, {"site": {"scm_minimum_tls_version": '"1.0"'}}, "scm_minimum_tls_version"),
    ("ftp-basic-auth", "AP009", WEB + FUNC, {"args": {"ftp_publish_basic_authentication_enabled": "true"}},
     "ftp_publish_basic_authentication_enabled is true"),
    ("webdeploy-basic-auth-default", "AP009", ALL, {"args": {"webdeploy_publish_basic_authentication_enabled": None}},
     "not set (azurerm 4.x default: true)"),
    ("remote-debugging", "AP010", ALL, {"site": {"remote_debugging_enabled": "true"}},
     "remote_debugging_enabled is true"),
]
CASES = [(f"{case}-{rtype.removeprefix('azurerm_')}", rule_id, rtype, variant, phrase)
         for case, rule_id, types, variant, phrase in VARIANTS for rtype in types]


@pytest.mark.parametrize("case, rule_id, rtype, variant, phrase", CASES, ids=[c[0] for c in CASES])
def test_bad_app_of_every_type_fires(tmp_path, case, rule_id, rtype, variant, phrase):
    extra = variant.get("extra", "") + app(rtype, variant.get("args"), variant.get("site"), variant.get("settings"),
                                           variant.get("identity", True))
    findings = _findings(tmp_path, extra)
    fired = {f.rule_id for f in findings}
    assert rule_id in fired and fired <= {rule_id} | variant.get("also", set()), "\n".join(
        f.line_text() for f in findings)
    texts = [f.line_text() for f in findings]
    assert any(phrase in t and (f"{rtype}.subject" in t or "consumption" in t) for t in texts), "\n".join(texts)


def test_slot_without_a_plan_of_its_own_is_held_to_its_parents(tmp_path):
    """A function app slot runs on its parent's plan: a Consumption parent makes the slot fail AP003 too."""
    text = CONSUMPTION_PLAN + app("azurerm_linux_function_app_slot").replace(
        "service_plan_id = azurerm_service_plan.main.id", "service_plan_id = azurerm_service_plan.consumption.id")
    findings = [f for f in _findings(tmp_path, text) if f.rule_id == "AP003"]
    # one for the parent, one for the slot: both point at the plan's sku_name
    assert len(findings) == 2 and {f.address for f in findings} == {"azurerm_service_plan.consumption"}


def test_slot_whose_parent_is_not_known_cannot_be_proven(tmp_path):
    text = app("azurerm_linux_function_app_slot").replace(
        "function_app_id = azurerm_linux_function_app.parent.id", "function_app_id = var.environment")
    findings = [f.line_text() for f in _findings(tmp_path, text) if f.rule_id == "AP003"]
    assert findings and "runs on its parent app's plan and function_app_id is \"test\"" in findings[0], findings
