"""The front ends: the `qa` command line, the HTTP API, the server that hosts the API with the chat, and the
rendering of cited pages they show."""
