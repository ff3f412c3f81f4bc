"""System and extraction prompts as named constants with placeholders."""
