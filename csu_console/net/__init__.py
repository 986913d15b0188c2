"""The alert link: websocket client of protocol v1 on its own asyncio thread."""
