"""A running BackCare for the tests and the tools that measure it (make bench, make safety).

``stack``: start and stop the action server, Rasa servers, the page, and `make prod` as a
person starts it; ``services``: the local PostgreSQL and Redis they may use.
"""
