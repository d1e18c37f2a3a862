"""Question understanding: a typed Query, and the registry of companies and segments it is read against."""
