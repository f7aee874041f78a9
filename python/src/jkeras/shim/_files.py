"""``keras.utils.get_file`` (Keras 2.3.1's): a file from the Keras cache (``~/.keras/<cache_subdir>``), downloaded
from ``origin`` when missing, optionally extracted; plain Python, no TensorFlow."""

import hashlib
import os
import tarfile
import urllib.request
import zipfile


def _hash(path, algorithm):
    h = hashlib.sha256() if algorithm == "sha256" else hashlib.md5()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def validate_file(fpath, file_hash, algorithm="auto", chunk_size=65535):
    """Whether the file's sha256 (a 64-digit hash, or ``algorithm``) or md5 is ``file_hash``."""
    if algorithm == "auto":
        algorithm = "sha256" if len(file_hash) == 64 else "md5"
    return _hash(fpath, algorithm) == str(file_hash)


def _extract(path, into, archive_format):
    formats = ["tar", "zip"] if archive_format == "auto" else [archive_format] if archive_format else []
    for kind in formats:
        if kind == "tar" and tarfile.is_tarfile(path):
            with tarfile.open(path) as archive:
                # the "data" filter (Python >= 3.11.4) refuses members that would land outside `into`
                archive.extractall(into, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
            return True
        if kind == "zip" and zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                archive.extractall(into)
            return True
    return False


def get_file(
    fname,
    origin,
    untar=False,
    md5_hash=None,
    file_hash=None,
    cache_subdir="datasets",
    hash_algorithm="auto",
    extract=False,
    archive_format="auto",
    cache_dir=None,
):
    """The path of ``fname`` in the Keras cache, downloaded from ``origin`` first when it is missing (or its
    hash differs); ``untar``/``extract`` unpack the archive next to it."""
    base = os.path.expanduser(cache_dir or os.path.join("~", ".keras"))
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    if not os.access(base, os.W_OK):
        base = os.path.join("/tmp", ".keras")
    datadir = os.path.join(base, cache_subdir)
    os.makedirs(datadir, exist_ok=True)
    untar_path = None
    if untar:
        untar_path = os.path.join(datadir, fname)
        fpath = untar_path + ".tar.gz"
    else:
        fpath = os.path.join(datadir, fname)
    download = not os.path.exists(fpath)
    if not download and file_hash is not None and not validate_file(fpath, file_hash, hash_algorithm):
        print(
            "A local file was found, but it seems to be incomplete or outdated because the "
            + hash_algorithm
            + " file hash does not match the original value of "
            + file_hash
            + " so we will re-download the data."
        )
        download = True
    if download:
        print("Downloading data from", origin)
        tmp = fpath + ".part"
        try:
            urllib.request.urlretrieve(origin, tmp)
            os.replace(tmp, fpath)
        except BaseException as e:
            if os.path.exists(tmp):
                os.remove(tmp)
            raise Exception("URL fetch failure on %s: %s" % (origin, e)) from e
    if untar:
        if not os.path.exists(untar_path):
            _extract(fpath, datadir, "tar")
        return untar_path
    if extract:
        _extract(fpath, datadir, archive_format)
    return fpath
