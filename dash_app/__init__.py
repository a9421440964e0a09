"""trendvakt's Dash app: trend views read from the published warehouse (`publish` schema only)."""
