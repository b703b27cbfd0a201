"""The data layer: seeds → reference database → queries, plus user data. Never imports Qt."""
