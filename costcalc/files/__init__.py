"""Files in and out: opening inputs (paths, `-`, FIFOs) once, writing outputs whole or not at all.

The bottom layer: it knows bytes and paths, nothing about prices or requests."""
