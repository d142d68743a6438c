"""Channel adapters: parse a channel's input into an Inbound, render Replies back. Nothing else."""
