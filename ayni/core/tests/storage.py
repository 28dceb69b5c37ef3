"""What the default storage holds, to check that no file was left without its row."""

from django.core.files.storage import default_storage


def stored_names(folder: str = "") -> list[str]:
    """Every file name under `folder` of the default storage (local disk or S3)."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:  # the local media folder is made by the first save
        return []
    names = [f"{folder}{name}" for name in files]
    for sub in folders:
        names += stored_names(f"{folder}{sub}/")
    return names
