"""The compiled draft of a summary: the facts gathered (facts.py) and the prose written from them (prose.py)."""
