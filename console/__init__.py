"""The staff console under /console (server-rendered Jinja pages, cookie sessions, CSRF-checked
forms) and the veteran demo page at `/` (development only).

One module per area: session (login, logout, the guards), window, department, stats, admin, files
(material previews), demo; pages holds what every console page shares. Who may open which
blueprint is decided in api/__init__.py, with the rest of the access policy.
"""
