"""Computing: the Decimal engine, planning, check, warm-up and actual. Data in, typed results and
notices out; nothing here prints or names a command-line flag."""
