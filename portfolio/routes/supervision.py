"""Routes: supervision."""

from flask import Blueprint

bp = Blueprint("supervision", __name__)
