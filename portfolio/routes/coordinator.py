"""Routes: coordinator."""

from flask import Blueprint

bp = Blueprint("coordinator", __name__)
