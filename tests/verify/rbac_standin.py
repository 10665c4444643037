"""A local HTTPS stand-in for the ARM and Microsoft Graph endpoints the verifier calls, and a sample environment.

ARM (its own port), with the real api-versions and response shapes:
  GET  /{scope}/providers/Microsoft.Authorization/roleAssignments[?$filter=atScope()]   2022-04-01, paged (nextLink)
  GET  /{scope}/providers/Microsoft.Authorization/roleDefinitions                       2022-04-01, paged (nextLink)
  GET  /{roleDefinitionId}                                                              2022-04-01
  GET  /{resource id}   storage 2023-05-01, cognitive 2024-10-01, PostgreSQL 2024-08-01, Key Vault 2023-07-01,
                        Application Insights 2020-02-02
  POST /{site id}/config/appsettings/list                                               2023-12-01
Graph (a second port, as graph.microsoft.com is another host):
  POST /v1.0/directoryObjects/getByIds   {"ids": [<= 1000], "types": [...]} -> {"value": [objects that exist]}
Tokens are checked per audience: the ARM port accepts only a token issued for <ARM url>/.default, the Graph port
only one for <Graph url>/.default.
Faults: a 429 with Retry-After once per request kind, a 403 on chosen scopes / reads / Graph, a fixed status on every
call. Every request is recorded, so tests assert on the number of calls that reached the "service".
"""
from __future__ import annotations

import datetime
import ipaddress
import json
import ssl
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

from azure.core.credentials import AccessToken

from pulse_gate.roles import BUILTIN_ROLE_IDS, ROLE_NAMES_BY_ID

API_VERSION = "2022-04-01"
RESOURCE_API_VERSIONS = {
    "microsoft.storage/storageaccounts": "2023-05-01",
    "microsoft.cognitiveservices/accounts": "2024-10-01",
    "microsoft.dbforpostgresql/flexibleservers": "2024-08-01",
    "microsoft.keyvault/vaults": "2023-07-01",
    "microsoft.insights/components": "2020-02-02",
}
WEB_API_VERSION = "2023-12-01"
TOKEN = "stand-in-token"
RA = "/providers/microsoft.authorization/roleassignments"
RD = "/providers/microsoft.authorization/roledefinitions"
APP_SETTINGS = "/config/appsettings/list"
GET_BY_IDS = "/v1.0/directoryobjects/getbyids"


def token_for(scope: str) -> str:
    return f"{TOKEN} for {scope}"


class StaticCredential:
    """A TokenCredential whose token names the scope it was issued for (the stand-in checks the audience)."""

    def __init__(self) -> None:
        self.calls = 0
        self.scopes: list[str] = []

    def get_token(self, *scopes, **kwargs) -> AccessToken:
        self.calls += 1
        self.scopes.extend(scopes)
        return AccessToken(token_for(scopes[0]), int(time.time()) + 3600)


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed CA certificate for 127.0.0.1 (serves as its own trust anchor)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "pulse-gate ARM stand-in")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .add_extension(x509.KeyUsage(True, False, False, False, False, True, False, False, False), True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), False)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = directory / "standin-cert.pem", directory / "standin-key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


def _norm(scope: str) -> str:
    return scope.lower().rstrip("/") or "/"


def _above_or_at(ancestor: str, scope: str) -> bool:
    ancestor, scope = _norm(ancestor), _norm(scope)
    if ancestor == "/" or "/managementgroups/" in ancestor:
        return True
    return scope == ancestor or scope.startswith(ancestor + "/")


@dataclass
class Request:
    kind: str     # "assignments" | "definition_get" | "definition_list" | "resource" | "app_settings" | "graph"
    path: str
    query: dict
    status: int
    body: dict | None = None


@dataclass
class StandIn:
    cert_file: Path
    key_file: Path
    assignments: list[dict] = field(default_factory=list)     # ARM JSON
    definitions: dict[str, str] = field(default_factory=dict)  # custom role GUID -> name
    page_size: int = 100
    throttle_once: set[str] = field(default_factory=set)       # request kinds answered 429 the first time
    retry_after: str = "1"
    forbidden_scopes: set[str] = field(default_factory=set)   # listing these scopes answers 403
    always_status: int | None = None
    requests: list[Request] = field(default_factory=list)
    resources: dict[str, dict] = field(default_factory=dict)      # resource id -> ARM JSON (GET)
    app_settings: dict[str, dict] = field(default_factory=dict)   # site id -> {name: value}
    forbidden_reads: set[str] = field(default_factory=set)        # resource / site ids whose read answers 403
    directory: dict[str, str] | None = None   # Graph: object id -> @odata.type name; None: every id exists
    graph_forbidden: bool = False

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._throttled: set[str] = set()
        self._server: ThreadingHTTPServer | None = None
        self._graph: ThreadingHTTPServer | None = None

    # --- lifecycle -------------------------------------------------------------------------------------------
    def start(self) -> "StandIn":
        self._server = self._serve("arm")
        self._graph = self._serve("graph")
        return self

    def _serve(self, service: str) -> ThreadingHTTPServer:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def do_GET(self) -> None:  # noqa: N802
                self._reply(None)

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                self._reply(self.rfile.read(length) if length else b"")

            def _reply(self, payload: bytes | None) -> None:
                status, body, headers = standin.handle(service, self.command, self.path,
                                                       self.headers.get("Authorization", ""), payload)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.cert_file, self.key_file)
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return server

    def stop(self) -> None:
        for name in ("_server", "_graph"):
            server = getattr(self, name)
            if server is not None:
                server.shutdown()
                server.server_close()
                setattr(self, name, None)

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"https://127.0.0.1:{self._server.server_address[1]}"

    @property
    def graph_url(self) -> str:
        assert self._graph is not None
        return f"https://127.0.0.1:{self._graph.server_address[1]}"

    def count(self, kind: str | None = None) -> int:
        with self._lock:
            return sum(1 for r in self.requests if kind is None or r.kind == kind)

    def reset_counts(self) -> None:
        with self._lock:
            self.requests.clear()
            self._throttled.clear()

    # --- the service -----------------------------------------------------------------------------------------
    def handle(self, service: str, method: str, raw_path: str, authorization: str,
               payload: bytes | None) -> tuple[int, dict, dict]:
        parts = urlsplit(raw_path)
        path = unquote(parts.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        low = path.lower().rstrip("/")
        body = None
        if payload:
            try:
                body = json.loads(payload)
            except ValueError:
                body = {"unparsable": True}
        if service == "graph":
            kind = "graph" if (method, low) == ("POST", GET_BY_IDS) else "other"
        elif low.endswith(RA):
            kind = "assignments"
        elif low.endswith(RD):
            kind = "definition_list"
        elif RD + "/" in low:
            kind = "definition_get"
        elif method == "POST" and low.endswith(APP_SETTINGS):
            kind = "app_settings"
        elif method == "GET" and "/providers/" in low:
            kind = "resource"
        else:
            kind = "other"
        status, answer, headers = self._answer(service, kind, path, low, query, authorization, body)
        with self._lock:
            self.requests.append(Request(kind, path, query, status, body))
        return status, answer, headers

    def _expected_api_version(self, kind: str, low: str) -> str | None:
        if kind in ("assignments", "definition_list", "definition_get"):
            return API_VERSION
        if kind == "app_settings":
            return WEB_API_VERSION
        if kind == "resource":
            parts = low.strip("/").split("/")
            return RESOURCE_API_VERSIONS.get("/".join(parts[5:7]))
        return None

    def _answer(self, service, kind, path, low, query, authorization, body):
        audience = self.graph_url if service == "graph" else self.url
        if authorization != f"Bearer {token_for(audience + '/.default')}":
            if service == "graph":
                return 401, _graph_error("InvalidAuthenticationToken", "Access token validation failure."), {}
            return 401, _error("InvalidAuthenticationToken", "The access token is invalid."), {}
        if service == "arm" and query.get("api-version") != self._expected_api_version(kind, low):
            return 400, _error("InvalidApiVersionParameter", f"api-version {query.get('api-version')!r}"), {}
        if self.always_status is not None:
            return self.always_status, _error("ServiceUnavailable", "stand-in fault"), {}
        with self._lock:
            throttle = kind in self.throttle_once and kind not in self._throttled
            if throttle:
                self._throttled.add(kind)
        if throttle:
            return 429, _error("TooManyRequests", "throttled"), {"Retry-After": self.retry_after}
        if kind == "graph":
            return self._get_by_ids(body)
        if kind in ("resource", "app_settings"):
            return self._read(kind, path)
        if kind == "assignments":
            scope = path[: len(path.rstrip("/")) - len(RA)] or "/"
            if _norm(scope) in {_norm(s) for s in self.forbidden_scopes}:
                return 403, _error("AuthorizationFailed", "The client 'x' does not have authorization to perform "
                                   f"action 'Microsoft.Authorization/roleAssignments/read' over scope '{scope}'"), {}
            flt = query.get("$filter")
            if flt not in (None, "atScope()"):
                return 400, _error("UnsupportedFilter", f"stand-in does not support $filter={flt}"), {}
            items = [a for a in self.assignments
                     if _above_or_at(a["properties"]["scope"], scope)
                     or (flt is None and _above_or_at(scope, a["properties"]["scope"]))]
            return 200, self._page(path, query, items), {}
        if kind == "definition_list":
            return 200, self._page(path, query, [_definition(g, n) for g, n in self._all_definitions().items()]), {}
        if kind == "definition_get":
            guid = low.rsplit("/", 1)[-1]
            name = self._all_definitions().get(guid)
            if name is None:
                return 404, _error("RoleDefinitionDoesNotExist", "The specified role definition does not exist."), {}
            return 200, _definition(guid, name), {}
        return 404, _error("NotFound", path), {}

    def _read(self, kind: str, path: str):
        rid = path[: -len(APP_SETTINGS)] if kind == "app_settings" else path
        key = _norm(rid)
        if key in {_norm(r) for r in self.forbidden_reads}:
            action = "Microsoft.Web/sites/config/list/action" if kind == "app_settings" else "read"
            return 403, _error("AuthorizationFailed", f"The client 'x' does not have authorization to perform action "
                               f"'{action}' over scope '{rid}'"), {}
        if kind == "app_settings":
            settings = {_norm(k): v for k, v in self.app_settings.items()}.get(key)
            if settings is None:
                return 404, _error("ResourceNotFound", f"The Resource '{rid}' was not found."), {}
            return 200, {"id": f"{rid}/config/appsettings", "name": "appsettings", "type": "Microsoft.Web/sites/config",
                         "location": "West Europe", "properties": dict(settings)}, {}
        document = {_norm(k): v for k, v in self.resources.items()}.get(key)
        if document is None:
            return 404, _error("ResourceNotFound", f"The Resource '{rid}' was not found."), {}
        return 200, document, {}

    def _get_by_ids(self, body):
        if self.graph_forbidden:
            return 403, _graph_error("Authorization_RequestDenied",
                                     "Insufficient privileges to complete the operation."), {}
        ids = body.get("ids") if isinstance(body, dict) else None
        if not isinstance(ids, list) or not ids or len(ids) > 1000:
            return 400, _graph_error("Request_BadRequest", "ids must hold 1 to 1000 ids"), {}
        types = {t.lower() for t in body.get("types") or ["directoryObject"]}
        found = []
        for object_id in ids:
            kind = "servicePrincipal" if self.directory is None else self.directory.get(object_id.lower())
            if kind is None or (types != {"directoryobject"} and kind.lower() not in types):
                continue   # deleted, or not of the types asked for: absent from the answer, as Graph does
            found.append({"@odata.type": f"#microsoft.graph.{kind}", "id": object_id})
        return 200, {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#directoryObjects",
                     "value": found}, {}

    def _all_definitions(self) -> dict[str, str]:
        return {**ROLE_NAMES_BY_ID, **{g.lower(): n for g, n in self.definitions.items()}}

    def _page(self, path: str, query: dict, items: list) -> dict:
        skip = int(query.get("$skipToken", "0"))
        body: dict = {"value": items[skip: skip + self.page_size]}
        if skip + self.page_size < len(items):
            nxt = f"{self.url}{quote(path)}?api-version={API_VERSION}&$skipToken={skip + self.page_size}"
            if "$filter" in query:
                nxt += "&$filter=" + quote(query["$filter"])
            body["nextLink"] = nxt
        return body


def _error(code: str, message: str) -> dict:
    return {"error": {"code": code, "message": message}}


def _graph_error(code: str, message: str) -> dict:
    return {"error": {"code": code, "message": message,
                      "innerError": {"date": "2025-01-01T00:00:00", "request-id": str(uuid.uuid4())}}}


def _definition(guid: str, name: str) -> dict:
    custom = guid not in ROLE_NAMES_BY_ID
    return {"id": f"/providers/Microsoft.Authorization/roleDefinitions/{guid}", "name": guid,
            "type": "Microsoft.Authorization/roleDefinitions",
            "properties": {"roleName": name, "type": "CustomRole" if custom else "BuiltInRole", "description": "",
                           "assignableScopes": ["/"], "permissions": []}}


# --- a sample environment ------------------------------------------------------------------------------------
SUB = "3f2c6a9e-0d1b-4c57-9a8e-5b6f7c8d9e01"
RG = f"/subscriptions/{SUB}/resourceGroups/rg-pulse-dev"
WEB = "11111111-1111-4111-8111-111111111111"
FUNC = "22222222-2222-4222-8222-222222222222"
DEPLOYER = "33333333-3333-4333-8333-333333333333"
HUMAN = "44444444-4444-4444-8444-444444444444"
GONE = "99999999-9999-4999-8999-999999999999"
TARGETS = {
    "storage_account": f"{RG}/providers/Microsoft.Storage/storageAccounts/stpulsedev",
    "openai_account": f"{RG}/providers/Microsoft.CognitiveServices/accounts/oai-pulse-dev",
    "speech_account": f"{RG}/providers/Microsoft.CognitiveServices/accounts/spch-pulse-dev",
    "key_vault": f"{RG}/providers/Microsoft.KeyVault/vaults/kv-pulse-dev",
    "application_insights": f"{RG}/providers/Microsoft.Insights/components/appi-pulse-dev",
}
PRINCIPALS = {"web_app": WEB, "function_app": FUNC, "deployer": DEPLOYER}
WEB_SITE = f"{RG}/providers/Microsoft.Web/sites/app-pulse-dev"
# Resources verify reads the settings of beyond the role targets (names as in tests/verify/fixtures/platform).
POSTGRES = f"{RG}/providers/Microsoft.DBforPostgreSQL/flexibleServers/psql-pulse-dev"
FUNC_SITE = f"{RG}/providers/Microsoft.Web/sites/func-pulse-dev"
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "platform"


def outputs(policy, targets: dict[str, str] | None = None, principals: dict[str, str] | None = None,
            drop: tuple[str, ...] = ()) -> dict:
    """`terraform output -json` of the sample environment."""
    targets = {**TARGETS, **(targets or {})}
    principals = {**PRINCIPALS, **(principals or {})}
    values = {"resource_group_id": RG, "resource_group_name": "rg-pulse-dev",
              "openai_deployment_names": {"chat": "gpt-4o"}, "postgres_server_id": POSTGRES,
              "function_app_id": FUNC_SITE, "function_app_name": "func-pulse-dev"}
    values.update({p.output: principals[p.name] for p in policy.principals.values()})
    values.update({t.output: targets[t.name] for t in policy.targets.values()})
    return {k: {"sensitive": False, "type": "string" if isinstance(v, str) else ["map", "string"], "value": v}
            for k, v in values.items() if k not in drop}


def assignment(scope: str, role: str, principal_id: str, principal_type: str = "ServicePrincipal") -> dict:
    guid = BUILTIN_ROLE_IDS.get(role, role)
    name = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{scope}|{guid}|{principal_id}"))
    return {"id": f"{scope}/providers/Microsoft.Authorization/roleAssignments/{name}", "name": name,
            "type": "Microsoft.Authorization/roleAssignments",
            "properties": {"scope": scope, "principalId": principal_id, "principalType": principal_type,
                           "roleDefinitionId": f"/subscriptions/{SUB}/providers/Microsoft.Authorization/"
                                               f"roleDefinitions/{guid}",
                           "createdOn": "2025-01-01T00:00:00Z", "updatedOn": "2025-01-01T00:00:00Z"}}


def in_sync(policy, targets: dict[str, str] | None = None) -> list[dict]:
    """What a correct apply leaves: the required grants, the deployer's allowed one, and principals not judged."""
    targets = {**TARGETS, **(targets or {})}
    out = [assignment(targets[g.target], g.role, PRINCIPALS[g.principal]) for g in policy.required]
    out += [assignment(targets[g.target], g.role, PRINCIPALS[g.principal], "User") for g in policy.allowed]
    out += [assignment(f"/subscriptions/{SUB}", "Owner", DEPLOYER, "User"),          # inherited, not judged
            assignment(RG, "Reader", HUMAN, "User"),                                 # not judged
            assignment(WEB_SITE, "Contributor", HUMAN, "User")]                      # other resource, not judged
    return out


def noise(n: int) -> list[dict]:
    """Assignments of principals the verifier does not judge, on resources of the group."""
    return [assignment(f"{RG}/providers/Microsoft.Web/sites/app-{i}", "Reader",
                       str(uuid.uuid5(uuid.NAMESPACE_OID, str(i))), "User") for i in range(n)]


def _arm(resource_id: str, properties: dict, **extra) -> dict:
    parts = resource_id.strip("/").split("/")
    return {"id": resource_id, "name": parts[-1], "type": f"{parts[5]}/{parts[6]}", "location": "westeurope",
            **extra, "properties": properties}


def resources_in_sync() -> dict[str, dict]:
    """GET documents of the deployed resources as a correct apply leaves them (ARM shapes, trimmed)."""
    return {
        TARGETS["storage_account"]: _arm(TARGETS["storage_account"], {
            "allowSharedKeyAccess": False, "defaultToOAuthAuthentication": True, "minimumTlsVersion": "TLS1_2",
            "supportsHttpsTrafficOnly": True, "allowBlobPublicAccess": False, "provisioningState": "Succeeded"},
            kind="StorageV2", sku={"name": "Standard_LRS", "tier": "Standard"}),
        TARGETS["openai_account"]: _arm(TARGETS["openai_account"], {
            "disableLocalAuth": True, "customSubDomainName": "oai-pulse-dev", "publicNetworkAccess": "Enabled",
            "endpoint": "https://oai-pulse-dev.openai.azure.com/", "provisioningState": "Succeeded"},
            kind="OpenAI", sku={"name": "S0"}),
        TARGETS["speech_account"]: _arm(TARGETS["speech_account"], {
            "disableLocalAuth": True, "customSubDomainName": "spch-pulse-dev", "publicNetworkAccess": "Enabled",
            "endpoint": "https://spch-pulse-dev.cognitiveservices.azure.com/", "provisioningState": "Succeeded"},
            kind="SpeechServices", sku={"name": "S0"}),
        TARGETS["key_vault"]: _arm(TARGETS["key_vault"], {
            "tenantId": "00000000-0000-4000-8000-0000000000aa", "sku": {"family": "A", "name": "standard"},
            "enableRbacAuthorization": True, "enablePurgeProtection": True, "enableSoftDelete": True,
            "vaultUri": "https://kv-pulse-dev.vault.azure.net/", "provisioningState": "Succeeded"}),
        TARGETS["application_insights"]: _arm(TARGETS["application_insights"], {
            "ApplicationId": "appi-pulse-dev", "Application_Type": "web", "DisableLocalAuth": True,
            "provisioningState": "Succeeded"}, kind="web"),
        POSTGRES: _arm(POSTGRES, {
            "version": "16", "state": "Ready", "authConfig": {"activeDirectoryAuth": "Enabled",
                                                             "passwordAuth": "Disabled",
                                                             "tenantId": "00000000-0000-4000-8000-0000000000aa"},
            "network": {"publicNetworkAccess": "Disabled"}}, sku={"name": "Standard_B1ms", "tier": "Burstable"}),
    }


def app_settings_in_sync() -> dict[str, dict]:
    """App settings of the function app as azurerm writes them for identity-based host storage.

    Placeholder values only: the stand-in holds no secret."""
    return {FUNC_SITE: {"AzureWebJobsStorage__accountName": "stpulsedev",
                        "AzureWebJobsStorage__credential": "managedidentity",
                        "FUNCTIONS_WORKER_RUNTIME": "python", "FUNCTIONS_EXTENSION_VERSION": "~4"}}


def deployed(standin: "StandIn") -> "StandIn":
    """Loads the in-sync resources and app settings into the stand-in."""
    standin.resources = resources_in_sync()
    standin.app_settings = app_settings_in_sync()
    return standin
