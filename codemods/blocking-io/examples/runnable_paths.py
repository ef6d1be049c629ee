"""pathlib I/O in coroutines: the same files, the same results."""
import pathlib
import tempfile
from pathlib import Path

HERE = Path(__file__).parent


async def roundtrip(root):
    base = Path(root)
    data = base / "data"
    print("exists before:", data.exists())
    data.mkdir(parents=True, exist_ok=True)
    print("is_dir:", data.is_dir(), "is_file:", data.is_file())
    note = data / "note.txt"
    print("written:", note.write_text("hello\n", encoding="utf-8"))
    print("read:", repr(note.read_text(encoding="utf-8")))
    raw = note.with_suffix(".bin")
    print("bytes written:", raw.write_bytes(b"\x00\x01"))
    print("bytes:", raw.read_bytes(), "size:", raw.stat().st_size)
    (data / "empty").touch()
    print("listing:", sorted(p.name for p in data.iterdir()))
    raw.unlink()
    (data / "empty").unlink(missing_ok=True)
    note.unlink()
    data.rmdir()
    print("exists after:", data.exists())


async def main():
    print("this file:", (HERE / Path(__file__).name).is_file())
    print("cwd:", pathlib.Path.cwd().exists())
    with tempfile.TemporaryDirectory() as root:
        await roundtrip(root)
