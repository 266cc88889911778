"""One module per command beyond summarize/validate/formats. Each module defines its command on
``gdstat.cli.app`` with the shared options of ``gdstat.cli`` and keeps heavy imports inside it."""
