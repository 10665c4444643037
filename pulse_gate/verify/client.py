"""The only module that talks to Azure: lists role assignments and resolves role definition names.

Uses azure-identity's DefaultAzureCredential (interactive browser excluded) and azure-mgmt-authorization's
AuthorizationManagementClient at REST api-version 2022-04-01. Every HTTP attempt, retries included, is counted by a
pipeline policy so the report can say how many calls a run took. SDK errors become one-line `InputError`s.
"""
from __future__ import annotations

from typing import Any

from azure.core.credentials import TokenCredential
from azure.core.exceptions import (ClientAuthenticationError, HttpResponseError, ServiceRequestError,
                                   ServiceResponseError)
from azure.core.pipeline.policies import SansIOHTTPPolicy
from azure.identity import CredentialUnavailableError, DefaultAzureCredential
from azure.mgmt.authorization import AuthorizationManagementClient

from ..errors import InputError
from .diff import Assignment, Listing

API_VERSION = "2022-04-01"
PUBLIC_ARM = "https://management.azure.com"
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
        return "other"

    def on_request(self, request) -> None:
        from urllib.parse import urlsplit
        self.attempts.append((self.kind(urlsplit(request.http_request.url).path), None))

    def on_response(self, request, response) -> None:
        status = response.http_response.status_code
        kind, _ = self.attempts[-1]
        self.attempts[-1] = (kind, status)
        self.streak = self.streak + 1 if status in RETRYABLE else 0

    def summary(self, listings: int) -> dict[str, int]:
        out = {"total": len(self.attempts), "listings": listings, "assignment_pages": 0, "role_definition_gets": 0,
               "role_definition_lists": 0, "throttled": 0, "server_errors": 0}
        for kind, status in self.attempts:
            if status == 429:
                out["throttled"] += 1
            elif status is not None and (status >= 500 or status == 408):
                out["server_errors"] += 1
            elif kind in out:
                out[kind] += 1
        return out


class ArmReader:
    def __init__(self, credential: TokenCredential, subscription_id: str, endpoint: str = PUBLIC_ARM,
                 **client_kwargs: Any) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.subscription_id = subscription_id
        self.counter = CallCounter()
        self.listings = 0
        self._names: dict[str, str] = {}
        options = {**RETRY, **client_kwargs}
        self._client = AuthorizationManagementClient(
            credential, subscription_id, api_version=API_VERSION, base_url=self.endpoint,
            credential_scopes=[self.endpoint + "/.default"], per_retry_policies=[self.counter], **options)

    def close(self) -> None:
        self._client.close()

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

    def _errors(self, action: str, permission: str, not_found_ok: bool = False) -> "_Translate":
        return _Translate(self, action, permission, not_found_ok)


class _NotFound(Exception):
    pass


class _Translate:
    """SDK exceptions -> one-line InputError (exit 2)."""

    def __init__(self, reader: ArmReader, action: str, permission: str, not_found_ok: bool) -> None:
        self.reader, self.action, self.permission, self.not_found_ok = reader, action, permission, not_found_ok

    def __enter__(self) -> None:
        return None

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
            if status == 403:
                raise InputError(f"403 {self.action}: the caller lacks {self.permission} ({code or 'Forbidden'}); "
                                 "grant it Reader on the resource group or subscription") from None
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
