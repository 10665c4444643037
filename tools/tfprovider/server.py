"""The stand-in's process: go-plugin handshake, TLS, and the tfplugin5 Provider service over gRPC.

Terraform starts it with TF_PLUGIN_MAGIC_COOKIE and PLUGIN_PROTOCOL_VERSIONS set, reads one line from stdout
(`1|5|tcp|127.0.0.1:PORT|grpc|<base64 DER certificate>`) and connects over TLS, trusting exactly that
certificate. The generated stubs must be importable (the mirror's launcher puts them on PYTHONPATH).
"""
from __future__ import annotations

import base64
import datetime
import os
import sys
import threading
from concurrent import futures

MAGIC_COOKIE_KEY = "TF_PLUGIN_MAGIC_COOKIE"
MAGIC_COOKIE_VALUE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"
CORE_PROTOCOL_VERSION = 1
APP_PROTOCOL_VERSION = 5
# A file for the serialized GetSchema answer (set by the mirror's launcher; optional).
SCHEMA_CACHE_ENV = "PULSE_TFPROVIDER_SCHEMA_CACHE"
# A directory holding tls.key and tls.crt made once per build (optional; without it each process makes its own).
TLS_ENV = "PULSE_TFPROVIDER_TLS"


def make_certificate() -> tuple[bytes, bytes, bytes]:
    """(key PEM, certificate PEM, certificate DER) of a fresh self-signed P-256 certificate for "localhost",
    the name go-plugin checks the server certificate against."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "HashiCorp"),
                      x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(seconds=30)).not_valid_after(now + datetime.timedelta(hours=12))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_encipherment=True, key_cert_sign=True,
                                         content_commitment=False, data_encipherment=False, key_agreement=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]),
                           critical=False)
            .sign(key, hashes.SHA256()))
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return key_pem, cert.public_bytes(serialization.Encoding.PEM), cert.public_bytes(serialization.Encoding.DER)


def write_certificate(directory: str) -> None:
    """A certificate for every stand-in process of one build (the launcher points TLS_ENV at directory): each
    process then starts without importing cryptography or generating a key, which Terraform, starting the
    provider dozens of times in a `terraform test`, notices. The directory is private (mkdtemp, 0700)."""
    key_pem, cert_pem, _ = make_certificate()
    for name, data in (("tls.key", key_pem), ("tls.crt", cert_pem)):
        fd = os.open(os.path.join(directory, name), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)


def _certificate() -> tuple[bytes, bytes, bytes]:
    directory = os.environ.get(TLS_ENV)
    if not directory:
        return make_certificate()
    with open(os.path.join(directory, "tls.key"), "rb") as f:
        key_pem = f.read()
    with open(os.path.join(directory, "tls.crt"), "rb") as f:
        cert_pem = f.read()
    body = b"".join(line for line in cert_pem.splitlines() if line and not line.startswith(b"-----"))
    return key_pem, cert_pem, base64.b64decode(body)


def handshake_line(port: int, cert_der: bytes) -> str:
    # go-plugin decodes the certificate with base64.RawStdEncoding: standard alphabet, no padding.
    cert = base64.b64encode(cert_der).decode().rstrip("=")
    return f"{CORE_PROTOCOL_VERSION}|{APP_PROTOCOL_VERSION}|tcp|127.0.0.1:{port}|grpc|{cert}"


class ProviderService:
    """tfplugin5.Provider. Every RPC the stand-in does not answer (import, move, functions, ephemeral
    resources) is left out of the proto and gets UNIMPLEMENTED."""

    def __init__(self, pb2, load_entry, schema_cache: str | None = None):
        self.pb2 = pb2
        self._load_entry = load_entry
        self._entry = None
        self._lock = threading.Lock()
        self._schema_cache = schema_cache
        self.provider_config = None

    @property
    def entry(self) -> dict:
        # Loaded on first use: a process Terraform starts only for GetSchema never parses the JSON.
        with self._lock:
            if self._entry is None:
                self._entry = self._load_entry()
            return self._entry

    def _resource(self, type_name):
        return self.entry["resource_schemas"].get(type_name)

    def _data_source(self, type_name):
        return self.entry["data_source_schemas"].get(type_name)

    def _dv(self, value):
        from tools.tfprovider.values import encode
        return self.pb2.DynamicValue(msgpack=encode(value))

    def _diags(self, diags):
        out = []
        for d in diags:
            severity = self.pb2.Diagnostic.ERROR if d.severity == "error" else self.pb2.Diagnostic.WARNING
            diag = self.pb2.Diagnostic(severity=severity, summary=d.summary, detail=d.detail)
            for step in d.path:
                diag.attribute.steps.add(attribute_name=step)
            out.append(diag)
        return out

    def _unknown_type(self, kind, type_name):
        from tools.tfprovider.provider import ERROR, Diagnostic
        return self._diags([Diagnostic(ERROR, f"Unknown {kind} type", f"azurerm 4.55.0 has no {kind} {type_name}.")])

    def GetSchema(self, request, context):
        # Terraform starts the provider several times per command and asks for the whole schema each time;
        # the serialized answer is cached in the build directory, beside the mirror.
        cache = self._schema_cache
        if cache and os.path.isfile(cache):
            with open(cache, "rb") as f:
                return self.pb2.GetProviderSchema.Response.FromString(f.read())
        from tools.tfprovider.schema import to_proto
        response = to_proto(self.pb2, self.entry)
        if cache:
            partial = f"{cache}.{os.getpid()}"
            with open(partial, "wb") as f:
                f.write(response.SerializeToString())
            os.replace(partial, cache)
        return response

    def PrepareProviderConfig(self, request, context):
        return self.pb2.PrepareProviderConfig.Response(prepared_config=request.config)

    def ValidateResourceTypeConfig(self, request, context):
        from tools.tfprovider import provider, values
        schema = self._resource(request.type_name)
        if schema is None:
            return self.pb2.ValidateResourceTypeConfig.Response(diagnostics=self._unknown_type("resource", request.type_name))
        diags = provider.validate_config(schema["block"], values.decode(request.config))
        return self.pb2.ValidateResourceTypeConfig.Response(diagnostics=self._diags(diags))

    def ValidateDataSourceConfig(self, request, context):
        from tools.tfprovider import provider, values
        schema = self._data_source(request.type_name)
        if schema is None:
            return self.pb2.ValidateDataSourceConfig.Response(diagnostics=self._unknown_type("data source", request.type_name))
        diags = provider.validate_config(schema["block"], values.decode(request.config))
        return self.pb2.ValidateDataSourceConfig.Response(diagnostics=self._diags(diags))

    def UpgradeResourceState(self, request, context):
        # The schema has one version per type, so the stored JSON already has the current shape; Terraform
        # decodes JSON against the schema (absent attributes read as null).
        return self.pb2.UpgradeResourceState.Response(
            upgraded_state=self.pb2.DynamicValue(json=request.raw_state.json or b"null"))

    def Configure(self, request, context):
        from tools.tfprovider import values
        self.provider_config = values.decode(request.config)
        return self.pb2.Configure.Response()

    def ReadResource(self, request, context):
        # Nothing exists behind the stand-in: what Terraform stored is what there is.
        return self.pb2.ReadResource.Response(new_state=request.current_state, private=request.private)

    def PlanResourceChange(self, request, context):
        from tools.tfprovider import provider, values
        schema = self._resource(request.type_name)
        if schema is None:
            return self.pb2.PlanResourceChange.Response(diagnostics=self._unknown_type("resource", request.type_name))
        planned = provider.plan_resource(request.type_name, schema["block"], values.decode(request.proposed_new_state))
        return self.pb2.PlanResourceChange.Response(planned_state=self._dv(planned),
                                                    planned_private=request.prior_private, legacy_type_system=True)

    def ApplyResourceChange(self, request, context):
        # Only ever into a local state in a temporary copy (offline.applied): nothing exists behind the stand-in.
        from tools.tfprovider import provider, values
        schema = self._resource(request.type_name)
        if schema is None:
            return self.pb2.ApplyResourceChange.Response(diagnostics=self._unknown_type("resource", request.type_name))
        state = provider.apply_resource(request.type_name, schema["block"], values.decode(request.planned_state),
                                        self.provider_config)
        return self.pb2.ApplyResourceChange.Response(new_state=self._dv(state), private=request.planned_private,
                                                     legacy_type_system=True)

    def ReadDataSource(self, request, context):
        from tools.tfprovider import provider, values
        schema = self._data_source(request.type_name)
        if schema is None:
            return self.pb2.ReadDataSource.Response(diagnostics=self._unknown_type("data source", request.type_name))
        state, diags = provider.read_data_source(request.type_name, schema["block"], values.decode(request.config),
                                                 self.provider_config)
        response = self.pb2.ReadDataSource.Response(diagnostics=self._diags(diags))
        if state is not None:
            response.state.CopyFrom(self._dv(state))
        return response

    def Stop(self, request, context):
        return self.pb2.Stop.Response()


def serve(load_entry, schema_cache: str | None = None, out=sys.stdout) -> None:
    import grpc

    import goplugin_pb2
    import goplugin_pb2_grpc
    import health_pb2
    import health_pb2_grpc
    import tfplugin5_pb2
    import tfplugin5_pb2_grpc

    stopped = threading.Event()

    class Controller(goplugin_pb2_grpc.GRPCControllerServicer):
        def Shutdown(self, request, context):
            stopped.set()
            return goplugin_pb2.Empty()

    class Health(health_pb2_grpc.HealthServicer):
        def Check(self, request, context):
            return health_pb2.HealthCheckResponse(status=health_pb2.HealthCheckResponse.SERVING)

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4),
                         options=[("grpc.max_receive_message_length", 256 << 20),
                                  ("grpc.max_send_message_length", 256 << 20)])
    tfplugin5_pb2_grpc.add_ProviderServicer_to_server(ProviderService(tfplugin5_pb2, load_entry, schema_cache), server)
    goplugin_pb2_grpc.add_GRPCControllerServicer_to_server(Controller(), server)
    health_pb2_grpc.add_HealthServicer_to_server(Health(), server)
    key_pem, cert_pem, cert_der = _certificate()
    # No client certificate is required: go-plugin presents a P-521 one that gRPC's TLS rejects, and the
    # listener is loopback only.
    credentials = grpc.ssl_server_credentials([(key_pem, cert_pem)], root_certificates=None, require_client_auth=False)
    port = server.add_secure_port("127.0.0.1:0", credentials)
    server.start()
    print(handshake_line(port, cert_der), file=out, flush=True)
    stopped.wait()
    server.stop(grace=1).wait()


def main() -> int:
    if os.environ.get(MAGIC_COOKIE_KEY) != MAGIC_COOKIE_VALUE:
        print("This is the offline azurerm stand-in, a Terraform plugin: Terraform starts it "
              "(see docs/offline-terraform.md); it is not meant to be run by hand.", file=sys.stderr)
        return 1
    offered = os.environ.get("PLUGIN_PROTOCOL_VERSIONS", str(APP_PROTOCOL_VERSION)).split(",")
    if str(APP_PROTOCOL_VERSION) not in offered:
        print(f"offline azurerm stand-in: speaks plugin protocol {APP_PROTOCOL_VERSION} only; Terraform offered "
              f"{','.join(offered)}", file=sys.stderr)
        return 1
    from tools.tfprovider.schema import load, missing_reason
    reason = missing_reason()
    if reason:
        print(f"offline azurerm stand-in: {reason}", file=sys.stderr)
        return 1
    serve(load, os.environ.get(SCHEMA_CACHE_ENV))
    return 0


if __name__ == "__main__":
    sys.exit(main())
