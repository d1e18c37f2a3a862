"""The contract every part shares: the typed data that flows between them, the errors (each with its HTTP
status) and every user-facing phrase."""
