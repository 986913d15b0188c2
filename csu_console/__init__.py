"""CSU Console: operator console for a French Centre de Surveillance Urbain."""

__version__ = "0.1.0"
