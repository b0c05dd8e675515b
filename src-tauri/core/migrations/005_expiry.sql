-- When the provider says a credential's secret expires (e.g. a GCP key's certificate), as
-- learned by its last successful check; NULL when it did not say. Never guessed.
ALTER TABLE credentials ADD COLUMN expires_at TEXT;
