"""Readers: request files and plan files turned into plain data, streamed.

No arithmetic on money and no English: problems are notices with codes and figures."""
