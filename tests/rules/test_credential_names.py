"""Which setting and variable names read as credentials (AP004, PL003)."""
import pytest

from pulse_gate.rules.apps import credential_named

CREDENTIALS = ["OPENAI_API_KEY", "AZURE_OPENAI_API_KEY", "NEXTAUTH_SECRET", "AZURE_AD_CLIENT_SECRET", "DB_PASSWORD",
               "PGPASSWORD", "SAS_TOKEN", "GITHUB_TOKEN", "STORAGE_KEY_1", "API_KEY_B64", "AzureWebJobsStorage",
               "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "DATABASE_CONNECTION_STRING", "storageAccountKey",
               "APPINSIGHTS_INSTRUMENTATIONKEY", "nextauth_secret", "admin_pwd"]
NOT_CREDENTIALS = ["AZURE_KEYVAULT_URI", "key_vault_name", "storage_account_shared_access_key_enabled",
                   "KEY_VAULT_SECRETS_VERSION", "OPENAI_API_VERSION", "AZURE_AD_CLIENT_ID", "TOKEN_AUDIENCE",
                   "AzureWebJobsStorage__credential", "AzureWebJobsStorage__accountName", "STORAGE_ACCOUNT_NAME",
                   "APPLICATIONINSIGHTS_AUTHENTICATION_STRING", "PASSWORD_MIN_LENGTH"]


@pytest.mark.parametrize("name", CREDENTIALS)
def test_credential_names(name):
    assert credential_named(name)


@pytest.mark.parametrize("name", NOT_CREDENTIALS)
def test_other_names(name):
    assert not credential_named(name)
