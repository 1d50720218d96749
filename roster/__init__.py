"""The 接收安置名册: importing the window's roster files, and finding a veteran in it."""
from roster.matching import lookup

__all__ = ["lookup"]
