"""Price data: the runtime types (model), loading pricing.yaml (load) and its schema (schema).

Imports only the shared leaves and `files`."""
