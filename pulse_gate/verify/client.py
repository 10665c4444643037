"""The only module that talks to Azure: role assignments, role definition names, the deployed resources' settings
and, through Microsoft Graph, whether the principals of the assignments still exist.

Uses azure-identity's DefaultAzureCredential (interactive browser excluded), azure-mgmt-authorization's
AuthorizationManagementClient at REST api-version 2022-04-01 for role assignments and definitions, and azure-core
pipelines with the same credential, retry policy and call counter for the resource reads (ARM) and
`directoryObjects/getByIds` (Graph). Every HTTP attempt, retries included, is counted so the report can say how many
calls a run took. SDK errors become one-line `InputError`s.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from azure.core import PipelineClient
from azure.core.credentials import TokenCredential
from azure.core.exceptions import (ClientAuthenticationError, HttpResponseError, ServiceRequestError,
                                   ServiceResponseError)
from azure.core.pipeline.policies import (BearerTokenCredentialPolicy, ContentDecodePolicy, HeadersPolicy,
                                          ProxyPolicy, RetryPolicy, SansIOHTTPPolicy, UserAgentPolicy)
from azure.core.rest import HttpRequest
from azure.identity import CredentialUnavailableError, DefaultAzureCredential
from azure.mgmt.authorization import AuthorizationManagementClient
from azure.mgmt.core.policies import ARMChallengeAuthenticationPolicy

from ..errors import InputError
from .diff import Assignment, Directory, Listing

API_VERSION = "2022-04-01"
PUBLIC_ARM = "https://management.azure.com"
PUBLIC_GRAPH = "https://graph.microsoft.com"
GRAPH_BATCH = 1000   # directoryObjects/getByIds takes up to 1000 ids per request
# Principal types a role assignment can name (ForeignGroup is a group); a type left out would read as deleted.
GRAPH_TYPES = ["user", "group", "servicePrincipal", "device"]
GRAPH_PERMISSION = "Directory.Read.All"
READER_HINT = "grant it Reader on the resource group or subscription"
APP_SETTINGS_PERMISSION = "Microsoft.Web/sites/config/list/action"
APP_SETTINGS_HINT = ("grant it a custom role with that action on the function app (Reader does not carry it; "
                     "Website Contributor does, with write access)")
# The POSTs verify sends only read (app settings list, getByIds): retry them like GETs. azure-core does not retry a
# POST on 429/408/502 by default, as it cannot know the POST is idempotent.
READ_METHODS = frozenset({"GET", "HEAD", "POST"})
# Throttling (429 + Retry-After, which the SDK honours) and transient 408/5xx are retried by the SDK's RetryPolicy;
# after retry_status retries of one request the command gives up and says so.
RETRY: dict[str, Any] = {"retry_total": 6, "retry_status": 4, "retry_backoff_factor": 0.8, "retry_backoff_max": 60}
RETRYABLE = {408, 429, 500, 502, 503, 504}
# More unknown role definitions than this: one paged list of the subscription's definitions instead of one GET each.
LOOKUP_LIMIT = 3


def default_credential() -> TokenCredential:
    """az login on a laptop, OIDC/workload identity or service principal env vars in CI, managed identity in Azure."""
    return DefaultAzureCredential(exclude_interactive_browser_credential=True)


class CallCounter(SansIOHTTPPolicy):
    """Counts every HTTP attempt (it sits after the retry policy), by kind and status."""

    def __init__(self) -> None:
        self.attempts: list[tuple[str, int | None]] = []
        self.streak = 0   # consecutive retryable responses: the attempts of the request that failed last

    @staticmethod
    def kind(path: str) -> str:
        path = path.lower().rstrip("/")
        if path.endswith("/providers/microsoft.authorization/roleassignments"):
            return "assignment_pages"
        if path.endswith("/providers/microsoft.authorization/roledefinitions"):
            return "role_definition_lists"
        if "/providers/microsoft.authorization/roledefinitions/" in path:
            return "role_definition_gets"
        if path.endswith("/directoryobjects/getbyids"):
            return "graph_batches"
        if path.endswith("/config/appsettings/list"):
            return "app_settings_lists"
        return "resource_reads"

    def on_request(self, request) -> None:
        self.attempts.append((self.kind(urlsplit(request.http_request.url).path), None))

    def on_response(self, request, response) -> None:
        status = response.http_response.status_code
        kind, _ = self.attempts[-1]
        self.attempts[-1] = (kind, status)
        self.streak = self.streak + 1 if status in RETRYABLE else 0

    def summary(self, listings: int) -> dict[str, int]:
        out = {"total": len(self.attempts), "listings": listings, "assignment_pages": 0, "role_definition_gets": 0,
               "role_definition_lists": 0, "resource_reads": 0, "app_settings_lists": 0, "graph_batches": 0,
               "throttled": 0, "server_errors": 0}
        for kind, status in self.attempts:
            if status == 429:
                out["throttled"] += 1
            elif status is not None and (status >= 500 or status == 408):
                out["server_errors"] += 1
            elif kind in out:
                out[kind] += 1
        return out


def _pipeline(endpoint: str, auth: SansIOHTTPPolicy, counter: CallCounter, options: dict[str, Any]) -> PipelineClient:
    """An azure-core pipeline like the SDK's: the same retry settings, the credential's token, every attempt counted."""
    retry = {k: v for k, v in options.items() if k.startswith("retry_")}
    transport = {k: v for k, v in options.items() if not k.startswith("retry_")}
    policies = [HeadersPolicy({"Accept": "application/json"}), UserAgentPolicy("pulse-gate-verify"), ProxyPolicy(),
                ContentDecodePolicy(), RetryPolicy(**retry), auth, counter]
    return PipelineClient(endpoint, policies=policies, **transport)


class ArmReader:
    def __init__(self, credential: TokenCredential, subscription_id: str, endpoint: str = PUBLIC_ARM,
                 **client_kwargs: Any) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.subscription_id = subscription_id
        self.counter = CallCounter()
        self.listings = 0
        self._names: dict[str, str] = {}
        options = {**RETRY, **client_kwargs}
        scope = self.endpoint + "/.default"
        self._client = AuthorizationManagementClient(
            credential, subscription_id, api_version=API_VERSION, base_url=self.endpoint,
            credential_scopes=[scope], per_retry_policies=[self.counter], **options)
        self._raw = _pipeline(self.endpoint, ARMChallengeAuthenticationPolicy(credential, scope), self.counter,
                              options)

    def close(self) -> None:
        self._client.close()
        self._raw.close()

    def __enter__(self) -> "ArmReader":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def calls(self) -> dict[str, int]:
        return self.counter.summary(self.listings)

    def list_assignments(self, listing: Listing) -> list[Assignment]:
        """One paged list-for-scope; the SDK follows nextLink."""
        self.listings += 1
        action = f"listing role assignments at {listing.scope}"
        with self._errors(action, "Microsoft.Authorization/roleAssignments/read"):
            return [Assignment(ra.id or "", ra.scope or "", ra.principal_id or "", str(ra.principal_type or ""),
                               ra.role_definition_id or "")
                    for ra in self._client.role_assignments.list_for_scope(listing.scope, filter=listing.filter)]

    def role_names(self, wanted: dict[str, str]) -> dict[str, str]:
        """{guid: name} for {guid: role definition id}; each definition fetched once per run (cached)."""
        todo = {guid: rid for guid, rid in wanted.items() if guid not in self._names}
        if len(todo) > LOOKUP_LIMIT:
            scope = f"/subscriptions/{self.subscription_id}"
            with self._errors(f"listing role definitions at {scope}", "Microsoft.Authorization/roleDefinitions/read"):
                for rd in self._client.role_definitions.list(scope):
                    self._names[(rd.name or "").lower()] = rd.role_name or ""
        for guid, rid in todo.items():
            if guid in self._names:
                continue
            try:
                with self._errors(f"reading role definition {rid}", "Microsoft.Authorization/roleDefinitions/read",
                                  not_found_ok=True):
                    self._names[guid] = self._client.role_definitions.get_by_id(rid).role_name or guid
            except _NotFound:
                self._names[guid] = f"{guid} (role definition not found)"
        return {guid: self._names[guid] for guid in wanted if guid in self._names}

    def read_resource(self, resource_id: str, api_version: str, arm_type: str) -> dict | None:
        """GET of one resource's ARM document (arm_type e.g. Microsoft.Storage/storageAccounts); None when gone."""
        return self._read("GET", resource_id, api_version, f"reading {resource_id}", f"{arm_type}/read")

    def list_app_settings(self, site_id: str, api_version: str) -> dict | None:
        """POST config/appsettings/list of a site: {"properties": {name: value}}; None when the site is gone.

        The values can be secrets: callers compare them and never print them."""
        return self._read("POST", f"{site_id}/config/appsettings/list", api_version,
                          f"listing the app settings of {site_id}", APP_SETTINGS_PERMISSION, APP_SETTINGS_HINT)

    def _read(self, method: str, path: str, api_version: str, action: str, permission: str,
              grant: str = READER_HINT) -> dict | None:
        request = HttpRequest(method, f"{self.endpoint}{quote(path)}", params={"api-version": api_version})
        try:
            with self._errors(action, permission, not_found_ok=True, grant=grant):
                response = self._raw.send_request(request, retry_on_methods=READ_METHODS)
                if response.status_code >= 400:
                    raise HttpResponseError(response=response)
                return _json(response, action)
        except _NotFound:
            return None

    def _errors(self, action: str, permission: str, not_found_ok: bool = False,
                grant: str = READER_HINT) -> "_Translate":
        return _Translate(self, action, permission, not_found_ok, grant)


class GraphReader:
    """Microsoft Graph `directoryObjects/getByIds` with the same credential: which principal ids still exist."""

    def __init__(self, credential: TokenCredential, counter: CallCounter, endpoint: str = PUBLIC_GRAPH,
                 **client_kwargs: Any) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.counter = counter
        auth = BearerTokenCredentialPolicy(credential, self.endpoint + "/.default")
        self._client = _pipeline(self.endpoint, auth, counter, {**RETRY, **client_kwargs})

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> "GraphReader":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def resolve(self, principal_ids: list[str]) -> Directory:
        """The ids that exist, one call per GRAPH_BATCH ids; a 403 makes the directory unavailable, with why."""
        ids = sorted({i.lower() for i in principal_ids})
        existing: set[str] = set()
        for start in range(0, len(ids), GRAPH_BATCH):
            batch = ids[start:start + GRAPH_BATCH]
            request = HttpRequest("POST", f"{self.endpoint}/v1.0/directoryObjects/getByIds",
                                  json={"ids": batch, "types": GRAPH_TYPES})
            action = f"resolving {len(batch)} principal ids through Microsoft Graph"
            with _Translate(self, action, GRAPH_PERMISSION, False, f"grant it the Graph permission {GRAPH_PERMISSION}",
                            denied_ok=True) as denied:
                response = self._client.send_request(request, retry_on_methods=READ_METHODS)
                if response.status_code >= 400:
                    raise HttpResponseError(response=response)
                existing |= {str(o.get("id", "")).lower() for o in _json(response, action).get("value", [])
                             if isinstance(o, dict)}
            if denied.code:
                why = (f"403 {action}: the caller lacks the Microsoft Graph permission {GRAPH_PERMISSION} "
                       f"({denied.code}); deleted principals cannot be told apart, so assignments of principals "
                       "neither a known identity nor declared in the policy data are reported as unexplained")
                return Directory(None, why, len(ids))
        return Directory(frozenset(existing), "", len(ids))


def _json(response, action: str) -> dict:
    try:
        body = response.json()
    except ValueError:
        raise InputError(f"{action}: the response is not JSON (HTTP {response.status_code})") from None
    if not isinstance(body, dict):
        raise InputError(f"{action}: unexpected response (HTTP {response.status_code}, not a JSON object)")
    return body


class _NotFound(Exception):
    pass


class _Translate:
    """SDK exceptions -> one-line InputError (exit 2). With denied_ok, a 403 is recorded (`code`) instead."""

    def __init__(self, reader: "ArmReader | GraphReader", action: str, permission: str, not_found_ok: bool,
                 grant: str = READER_HINT, denied_ok: bool = False) -> None:
        self.reader, self.action, self.permission, self.not_found_ok = reader, action, permission, not_found_ok
        self.grant, self.denied_ok = grant, denied_ok
        self.code = ""

    def __enter__(self) -> "_Translate":
        return self

    def __exit__(self, exc_type, exc: BaseException | None, tb) -> bool:
        if exc is None:
            return False
        if isinstance(exc, InputError):
            return False
        if isinstance(exc, ClientAuthenticationError) and getattr(exc, "response", None) is None:
            text = str(exc.message if getattr(exc, "message", None) else exc)
            if isinstance(exc, CredentialUnavailableError) or "failed to retrieve a token from the included" in text:
                raise InputError("no Azure credential found: run `az login` (laptop), set AZURE_CLIENT_ID/"
                                 "AZURE_TENANT_ID with AZURE_FEDERATED_TOKEN_FILE or azure/login (CI), or run with a "
                                 "managed identity (Azure)") from None
            raise InputError(f"Azure authentication failed: {_first_line(text)}") from None
        if isinstance(exc, HttpResponseError) and exc.status_code is not None:
            status = exc.status_code
            code = _error_code(exc)
            if status == 404 and self.not_found_ok:
                raise _NotFound() from None
            if status == 401:
                raise InputError(f"401 {self.action}: the token was rejected ({code or 'Unauthorized'}); "
                                 "check the tenant of the signed-in account") from None
            if status == 403 and self.denied_ok:
                self.code = code or "Forbidden"
                return True
            if status == 403:
                raise InputError(f"403 {self.action}: the caller lacks {self.permission} ({code or 'Forbidden'}); "
                                 f"{self.grant}") from None
            if status == 404:
                raise InputError(f"404 {self.action}: not found ({code or 'NotFound'}); was this environment "
                                 "applied, and is the signed-in account on its subscription?") from None
            if status in RETRYABLE:
                attempts = self.reader.counter.streak
                raise InputError(f"gave up {self.action} after {attempts} attempts: HTTP {status} "
                                 f"{exc.reason or ''}".rstrip() + " (throttled or transient errors; retry later)") from None
            raise InputError(f"HTTP {status} {self.action}: {_first_line(exc.message or str(exc))}") from None
        if isinstance(exc, (ServiceRequestError, ServiceResponseError)):
            raise InputError(f"could not reach {self.reader.endpoint} ({self.action}): {_first_line(str(exc))}") from None
        return False


def _error_code(exc: HttpResponseError) -> str:
    error = getattr(exc, "error", None)
    return getattr(error, "code", None) or ""


def _first_line(text: str) -> str:
    for line in str(text).splitlines():
        if line.strip():
            return line.strip()[:300]
    return ""
