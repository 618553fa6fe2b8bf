"""Run history: every recorded run's repetitions in SQLite (PostgreSQL later), named
baselines, and the trend of a metric over time."""
