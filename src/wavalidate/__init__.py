"""wavalidate: check AWS architectures against the Well-Architected pillars."""
from __future__ import annotations

__version__ = "0.1.0"
