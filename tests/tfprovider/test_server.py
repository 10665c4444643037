"""The stand-in as Terraform sees it: a process that does the go-plugin handshake and answers tfplugin5 over TLS."""
from __future__ import annotations

import base64
import os
import subprocess
import sys
import threading

import msgpack
import pytest

from tools.tfprovider import schema, server
from tools.tfprovider.values import is_unknown


def _launch(stub_dir, cookie=server.MAGIC_COOKIE_VALUE, versions="5,6"):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([schema.REPO, stub_dir]), PLUGIN_PROTOCOL_VERSIONS=versions)
    env[server.MAGIC_COOKIE_KEY] = cookie
    return subprocess.Popen([sys.executable, "-m", "tools.tfprovider.server"], env=env, cwd=schema.REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _first_line(proc, timeout=30):
    line = []
    reader = threading.Thread(target=lambda: line.append(proc.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    assert line, "no handshake line within the timeout"
    return line[0].strip()


@pytest.fixture(scope="module")
def plugin(stub_dir, azurerm):
    import grpc
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    import goplugin_pb2
    import goplugin_pb2_grpc
    import health_pb2
    import health_pb2_grpc
    import tfplugin5_pb2
    import tfplugin5_pb2_grpc

    proc = _launch(stub_dir)
    try:
        line = _first_line(proc)
        core, app, network, address, protocol, cert = line.split("|")
        der = base64.b64decode(cert + "=" * (-len(cert) % 4))
        pem = x509.load_der_x509_certificate(der).public_bytes(serialization.Encoding.PEM)
        channel = grpc.secure_channel(address, grpc.ssl_channel_credentials(root_certificates=pem),
                                      options=[("grpc.ssl_target_name_override", "localhost")])
        yield {"line": line, "fields": (core, app, network, address, protocol), "der": der, "pb2": tfplugin5_pb2,
               "stub": tfplugin5_pb2_grpc.ProviderStub(channel),
               "health": (health_pb2, health_pb2_grpc.HealthStub(channel))}
        goplugin_pb2_grpc.GRPCControllerStub(channel).Shutdown(goplugin_pb2.Empty(), timeout=10)
        assert proc.wait(timeout=10) == 0
        channel.close()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_handshake_line_names_a_loopback_tcp_grpc_listener(plugin):
    core, app, network, address, protocol = plugin["fields"]
    assert (core, app, network, protocol) == ("1", "5", "tcp", "grpc")
    assert address.startswith("127.0.0.1:") and int(address.rsplit(":", 1)[1]) > 0


def test_certificate_is_for_localhost_without_base64_padding(plugin):
    from cryptography import x509
    assert not plugin["line"].endswith("=")
    cert = x509.load_der_x509_certificate(plugin["der"])
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(x509.DNSName)
    assert names == ["localhost"]


def test_health_check_serves_plugin(plugin):
    pb2, stub = plugin["health"]
    assert stub.Check(pb2.HealthCheckRequest(service="plugin"), timeout=10).status == pb2.HealthCheckResponse.SERVING


def test_schema_served_from_shared_file(plugin, azurerm):
    response = plugin["stub"].GetSchema(plugin["pb2"].GetProviderSchema.Request(), timeout=30)
    assert len(response.resource_schemas) == len(azurerm["resource_schemas"]) == 1127
    assert len(response.data_source_schemas) == len(azurerm["data_source_schemas"]) == 399
    secret = {a.name: a for a in response.resource_schemas["azurerm_key_vault_secret"].block.attributes}
    assert secret["value_wo"].write_only and not secret["value_wo"].computed
    storage = {a.name: a for a in response.resource_schemas["azurerm_storage_account"].block.attributes}
    assert storage["primary_access_key"].computed and storage["primary_access_key"].sensitive
    assert storage["account_tier"].required and storage["account_tier"].type == b'"string"'
    features = {b.type_name: b for b in response.provider.block.block_types}["features"]
    assert features.min_items == 1


def _object(azurerm, kind, type_name, **values):
    block = azurerm[kind][type_name]["block"]
    obj = dict.fromkeys(block.get("attributes", {}))
    for name, nested in block.get("block_types", {}).items():
        obj[name] = None if nested["nesting_mode"] == "single" else ({} if nested["nesting_mode"] == "map" else [])
    obj.update(values)
    return obj


def _dv(plugin, value):
    return plugin["pb2"].DynamicValue(msgpack=msgpack.packb(value, use_bin_type=True))


def _validate(plugin, azurerm, type_name, **values):
    pb2 = plugin["pb2"]
    request = pb2.ValidateResourceTypeConfig.Request(
        type_name=type_name, config=_dv(plugin, _object(azurerm, "resource_schemas", type_name, **values)))
    return plugin["stub"].ValidateResourceTypeConfig(request, timeout=10).diagnostics


def test_setting_a_computed_only_argument_is_an_error(plugin, azurerm):
    diags = _validate(plugin, azurerm, "azurerm_storage_account", name="st", primary_access_key="fixture-not-a-key")
    assert [(d.severity, d.summary) for d in diags] == [(plugin["pb2"].Diagnostic.ERROR, "Computed attribute cannot be set")]
    assert [s.attribute_name for s in diags[0].attribute.steps] == ["primary_access_key"]


def test_setting_a_deprecated_argument_is_a_warning(plugin, azurerm):
    diags = _validate(plugin, azurerm, "azurerm_key_vault", name="kv", enable_rbac_authorization=True)
    assert [(d.severity, d.attribute.steps[0].attribute_name) for d in diags] == \
        [(plugin["pb2"].Diagnostic.WARNING, "enable_rbac_authorization")]


def test_valid_configuration_has_no_diagnostics(plugin, azurerm):
    assert list(_validate(plugin, azurerm, "azurerm_key_vault", name="kv", rbac_authorization_enabled=True)) == []


def _plan(plugin, azurerm, type_name, **values):
    pb2 = plugin["pb2"]
    proposed = _object(azurerm, "resource_schemas", type_name, **values)
    request = pb2.PlanResourceChange.Request(type_name=type_name, prior_state=_dv(plugin, None),
                                             proposed_new_state=_dv(plugin, proposed), config=_dv(plugin, proposed))
    response = plugin["stub"].PlanResourceChange(request, timeout=10)
    assert list(response.diagnostics) == [] and response.legacy_type_system
    return msgpack.unpackb(response.planned_state.msgpack, raw=False)


def test_create_plans_computed_attributes_unknown(plugin, azurerm):
    planned = _plan(plugin, azurerm, "azurerm_storage_account", name="stpulse", account_tier="Standard",
                    shared_access_key_enabled=False)
    assert is_unknown(planned["id"]) and is_unknown(planned["primary_blob_endpoint"])
    assert planned["name"] == "stpulse" and planned["shared_access_key_enabled"] is False


def test_create_plans_the_gate_defaults_of_arguments_left_out(plugin, azurerm):
    planned = _plan(plugin, azurerm, "azurerm_storage_account", name="stpulse", account_tier="Standard")
    assert planned["shared_access_key_enabled"] is True and planned["default_to_oauth_authentication"] is False


def test_write_only_value_is_planned_null(plugin, azurerm):
    planned = _plan(plugin, azurerm, "azurerm_key_vault_secret", name="s", value_wo="fixture-not-a-secret",
                    value_wo_version=1)
    assert planned["value_wo"] is None and planned["value_wo_version"] == 1 and is_unknown(planned["id"])


def test_refined_unknown_from_terraform_is_kept(plugin, azurerm):
    refined = msgpack.ExtType(12, b"\x81\x01\xc3")
    planned = _plan(plugin, azurerm, "azurerm_key_vault_secret", name="s", key_vault_id=refined)
    assert planned["key_vault_id"] == refined


def _apply(plugin, type_name, planned):
    pb2 = plugin["pb2"]
    request = pb2.ApplyResourceChange.Request(type_name=type_name, prior_state=_dv(plugin, None),
                                              planned_state=_dv(plugin, planned), config=_dv(plugin, planned))
    return plugin["stub"].ApplyResourceChange(request, timeout=10)


def test_apply_makes_the_planned_value_known(plugin, azurerm):
    """Apply (into a local state only): the plan, with an Azure-shaped id and every unknown made known."""
    planned = _plan(plugin, azurerm, "azurerm_storage_account", name="stpulse", resource_group_name="rg-pulse",
                    account_tier="Standard", shared_access_key_enabled=False)
    response = _apply(plugin, "azurerm_storage_account", planned)
    assert list(response.diagnostics) == [] and response.legacy_type_system
    state = msgpack.unpackb(response.new_state.msgpack, raw=False)
    assert state["id"] == ("/subscriptions/00000000-0000-0000-0000-00000000000b/resourceGroups/rg-pulse/providers/"
                           "Microsoft.Storage/storageAccounts/stpulse")
    assert state["shared_access_key_enabled"] is False and state["primary_blob_endpoint"] == ""
    assert not any(isinstance(v, msgpack.ExtType) for v in state.values())


def test_apply_of_an_unknown_type_is_an_error(plugin):
    pb2 = plugin["pb2"]
    response = _apply(plugin, "azurerm_sql_server", {"name": "x"})
    assert response.diagnostics[0].severity == pb2.Diagnostic.ERROR


def test_unknown_resource_type_is_an_error(plugin, azurerm):
    pb2 = plugin["pb2"]
    request = pb2.ValidateResourceTypeConfig.Request(type_name="azurerm_sql_server", config=_dv(plugin, {}))
    assert plugin["stub"].ValidateResourceTypeConfig(request, timeout=10).diagnostics[0].severity == pb2.Diagnostic.ERROR


def test_without_the_magic_cookie_it_explains_and_exits(stub_dir):
    proc = _launch(stub_dir, cookie="")
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 1 and out == "" and "Terraform plugin" in err


def test_refuses_a_terraform_without_protocol_5(stub_dir, azurerm):
    proc = _launch(stub_dir, versions="6")
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 1 and out == "" and "protocol 5" in err


def test_schema_answer_is_cached_for_the_next_process(stub_dir, azurerm, tmp_path):
    import tfplugin5_pb2
    cache = str(tmp_path / "schema.pb")
    first = server.ProviderService(tfplugin5_pb2, lambda: azurerm, cache).GetSchema(None, None)

    def must_not_load():
        raise AssertionError("the cached answer needs no schema file")

    second = server.ProviderService(tfplugin5_pb2, must_not_load, cache).GetSchema(None, None)
    assert second == first and len(second.resource_schemas) == 1127


def test_certificate_made_once_per_build_is_reused(tmp_path, monkeypatch):
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    server.write_certificate(str(tmp_path))
    assert oct(os.stat(tmp_path / "tls.key").st_mode & 0o777) == "0o600"
    monkeypatch.setenv(server.TLS_ENV, str(tmp_path))
    _, cert_pem, der = server._certificate()
    assert x509.load_pem_x509_certificate(cert_pem).public_bytes(Encoding.DER) == der
    assert server._certificate()[2] == der
