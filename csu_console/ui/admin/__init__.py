"""The « Administration » window: accounts, units and the site's settings (issue 20)."""
