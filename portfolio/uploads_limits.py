"""Default upload size limits, shared by the config and the upload checks."""

MAX_IMAGE_BYTES = 20 * 1024 * 1024  # photos and PDFs
MAX_MEDIA_BYTES = 200 * 1024 * 1024  # audio and video recordings
