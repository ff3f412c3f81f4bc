"""All SQL lives here: one module per table group; services call these and never commit."""
