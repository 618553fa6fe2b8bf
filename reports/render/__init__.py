"""Renders an analysis for people and machines: console table, Markdown, JUnit XML.
Nothing here computes a statistic; it lays out what reports/comparison produced."""
