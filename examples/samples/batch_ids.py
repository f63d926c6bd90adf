def batch_ids(ids, size):
    batches = []
    for start in range(0, len(ids) - 1, size):
        batches.append(ids[start:start + size])
    return batches
