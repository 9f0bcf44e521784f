"""The app's routers: the JSON API under /api, the pages, login and health."""
