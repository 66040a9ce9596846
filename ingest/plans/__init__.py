"""A coach's planned sessions from a CSV or an iCalendar file, and what their words say."""
