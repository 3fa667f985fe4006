from ipshub.accounts.sessions import PersonSession

__all__ = ["PersonSession"]
