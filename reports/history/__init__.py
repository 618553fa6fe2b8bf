"""Run history: every recorded run's repetitions in SQLite or PostgreSQL, named
baselines, and the trend of a metric over time."""
