"""Token counts: text bands per content kind (count, bands, textkind, cl100k), non-text input
(media) and exact counts from the API (exact).

Imports only prices, files and the shared leaves."""
