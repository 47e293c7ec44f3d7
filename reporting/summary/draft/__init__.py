"""The compiled draft of a summary: the facts gathered (facts.py), the prose written from them (prose.py), and the
text tools and the cities' abstracts it uses (abstracts.py)."""
