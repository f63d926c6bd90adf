import json


def read_config(path, defaults={}):
    f = open(path)
    config = json.load(f)
    for key in defaults:
        if key not in config:
            config[key] = defaults[key]
    return config
