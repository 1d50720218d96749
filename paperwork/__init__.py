"""Papers the system produces for people: the registration form (办理登记表) as a PDF."""
