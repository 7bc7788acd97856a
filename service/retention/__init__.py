"""Retention by rule: closed courses and old access rows go (`rules`), through the only
path that deletes journal rows (`deletion`)."""
