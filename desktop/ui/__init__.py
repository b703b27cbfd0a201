"""The widgets: they talk to the Library and the models, never to sqlite3."""
