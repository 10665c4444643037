"""A local HTTPS stand-in for the two ARM endpoints the verifier calls, and a sample environment.

Endpoints (api-version 2022-04-01):
  GET /{scope}/providers/Microsoft.Authorization/roleAssignments[?$filter=atScope()]   paged with nextLink
  GET /{scope}/providers/Microsoft.Authorization/roleDefinitions                       paged with nextLink
  GET /{roleDefinitionId}                                                              (roleDefinitions get by id)
Faults: a 429 with Retry-After once per request kind, a 403 on chosen scopes, a fixed status on every call.
Every request is recorded, so tests assert on the number of calls that reached the "service".
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
from urllib.parse import parse_qs, quote, urlsplit

from azure.core.credentials import AccessToken

from pulse_gate.roles import BUILTIN_ROLE_IDS, ROLE_NAMES_BY_ID

API_VERSION = "2022-04-01"
TOKEN = "stand-in-token"
RA = "/providers/microsoft.authorization/roleassignments"
RD = "/providers/microsoft.authorization/roledefinitions"


class StaticCredential:
    """A TokenCredential that always returns the stand-in's token."""

    def __init__(self) -> None:
        self.calls = 0

    def get_token(self, *scopes, **kwargs) -> AccessToken:
        self.calls += 1
        return AccessToken(TOKEN, int(time.time()) + 3600)


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
    kind: str     # "assignments" | "definition_get" | "definition_list" | "other"
    path: str
    query: dict
    status: int


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

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._throttled: set[str] = set()
        self._server: ThreadingHTTPServer | None = None

    # --- lifecycle -------------------------------------------------------------------------------------------
    def start(self) -> "StandIn":
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def do_GET(self) -> None:  # noqa: N802
                status, body, headers = standin.handle(self.path, self.headers.get("Authorization", ""))
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

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.cert_file, self.key_file)
        self._server.socket = ctx.wrap_socket(self._server.socket, server_side=True)
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"https://127.0.0.1:{self._server.server_address[1]}"

    def count(self, kind: str | None = None) -> int:
        with self._lock:
            return sum(1 for r in self.requests if kind is None or r.kind == kind)

    def reset_counts(self) -> None:
        with self._lock:
            self.requests.clear()
            self._throttled.clear()

    # --- the service -----------------------------------------------------------------------------------------
    def handle(self, raw_path: str, authorization: str) -> tuple[int, dict, dict]:
        parts = urlsplit(raw_path)
        path = parts.path
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        low = path.lower().rstrip("/")
        if low.endswith(RA):
            kind = "assignments"
        elif low.endswith(RD):
            kind = "definition_list"
        elif RD + "/" in low:
            kind = "definition_get"
        else:
            kind = "other"
        status, body, headers = self._answer(kind, path, low, query, authorization)
        with self._lock:
            self.requests.append(Request(kind, path, query, status))
        return status, body, headers

    def _answer(self, kind, path, low, query, authorization):
        if authorization != f"Bearer {TOKEN}":
            return 401, _error("InvalidAuthenticationToken", "The access token is invalid."), {}
        if query.get("api-version") != API_VERSION:
            return 400, _error("InvalidApiVersionParameter", f"api-version {query.get('api-version')!r}"), {}
        if self.always_status is not None:
            return self.always_status, _error("ServiceUnavailable", "stand-in fault"), {}
        with self._lock:
            throttle = kind in self.throttle_once and kind not in self._throttled
            if throttle:
                self._throttled.add(kind)
        if throttle:
            return 429, _error("TooManyRequests", "throttled"), {"Retry-After": self.retry_after}
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
    "key_vault": f"{RG}/providers/Microsoft.KeyVault/vaults/kv-pulse-dev",
    "application_insights": f"{RG}/providers/Microsoft.Insights/components/appi-pulse-dev",
}
PRINCIPALS = {"web_app": WEB, "function_app": FUNC, "deployer": DEPLOYER}
WEB_SITE = f"{RG}/providers/Microsoft.Web/sites/app-pulse-dev"


def outputs(policy, targets: dict[str, str] | None = None, principals: dict[str, str] | None = None,
            drop: tuple[str, ...] = ()) -> dict:
    """`terraform output -json` of the sample environment."""
    targets = {**TARGETS, **(targets or {})}
    principals = {**PRINCIPALS, **(principals or {})}
    values = {"resource_group_id": RG, "resource_group_name": "rg-pulse-dev",
              "openai_deployment_names": {"chat": "gpt-4o"}}
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
