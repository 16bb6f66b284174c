"""Routes: mentor."""

from flask import Blueprint

bp = Blueprint("mentor", __name__)
