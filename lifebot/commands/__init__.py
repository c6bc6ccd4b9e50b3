"""Subcommands of ``lifebot``; each module holds one command or command group."""
