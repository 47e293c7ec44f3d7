"""Week summaries, their versions and their submissions upward."""

__all__: list[str] = []
