"""Staff accounts: creating, changing and deactivating them, and limiting failed logins."""
