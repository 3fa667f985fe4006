"""IPS Hub: implement and run IPS supported employment across a state's programs."""

__version__ = "0.1.0"
