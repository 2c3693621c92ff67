"""State changes to conferences, one module per stage. Each service function checks the
conference's status against its module's transition table, runs in one transaction and writes
its audit row in it."""
