"""What an area needs to plug into the shell and into other areas."""
