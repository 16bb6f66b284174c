"""Routes: files."""

from flask import Blueprint

bp = Blueprint("files", __name__)
