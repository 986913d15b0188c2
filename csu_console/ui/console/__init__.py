"""The operator's console screen."""
