"""The chat guide's logic as Rasa custom actions, for deployments that run a Rasa server.

Start the action server with `python -m rasa_sdk --actions-module bot.rasa_actions --port 5055`.
It imports every module of this package, so none of them does anything at import: the Flask app
(profile, database, policy Q&A) is built on the first action call (`runtime.py`), from the
environment the server was started with (DATABASE_URL, REDIS_URL, PROVINCE, …).
"""
