"""Pages for the indicators and the work list of open deadlines."""
