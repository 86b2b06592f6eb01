"""Plain HTTP routes beside GraphQL, one module per concern, mounted by app.py."""
