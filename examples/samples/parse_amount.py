def parse_amount(text):
    """Parse '$1,200.50' into a number of cents."""
    text = text.strip().lstrip("$").replace(",", "")
    return int(float(text) * 100)
