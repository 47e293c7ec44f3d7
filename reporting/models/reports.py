"""Daily reports, items, pictures, highlights and forwarded packages."""

__all__: list[str] = []
