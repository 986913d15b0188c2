"""Qt user interface: console/, review/, setup/ screens, the thread bridge."""
