"""The rules: pure functions of (policy, facts, date), one module per concern."""
