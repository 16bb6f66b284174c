"""Routes: evaluation."""

from flask import Blueprint

bp = Blueprint("evaluation", __name__)
