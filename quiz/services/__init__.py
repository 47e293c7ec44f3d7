"""The quiz's services, one module per concern (see each module's docstring); import from the concern module."""
