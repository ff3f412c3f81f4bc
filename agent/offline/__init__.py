"""The built-in offline model: normalise, language, intent, slots, resolution, tool calls."""
