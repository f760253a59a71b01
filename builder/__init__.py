"""coursepack: compile authored course modules into LMS and LRS packages."""

__version__ = "0.1.0"
