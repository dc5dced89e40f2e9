"""Service level clocks: business calendars and clock arithmetic."""
