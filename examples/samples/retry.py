import time
import urllib.request


def fetch_with_retry(url, attempts=3):
    for attempt in range(attempts):
        try:
            return urllib.request.urlopen(url).read()
        except Exception:
            time.sleep(2 ** attempt)
