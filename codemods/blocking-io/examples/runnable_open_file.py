"""Files opened in coroutines: the same data, written and read back."""
import os
import tempfile


async def write_then_read(path):
    with open(path, "w", encoding="utf-8") as f:
        f.write("first line\n")
        f.writelines(["second\n", "third\n"])
        print("position:", f.tell())
        f.flush()
    with open(path, encoding="utf-8") as f:
        print("name matches:", f.name == path)
        print("first:", f.readline().strip())
        print("rest:", f.readlines())
        f.seek(0)
        print("size:", len(f.read()))
        print("closed inside:", f.closed)
    with open(path, encoding="utf-8") as f:
        for line in f:
            print("line:", line.rstrip())
        else:
            print("loop done")


async def binary(path):
    with open(path, "wb") as out, open(path + ".copy", "wb") as copy:
        out.write(b"\x00\x01")
        copy.write(b"copy")
    with open(path, "rb") as f:
        head = f.read(1)
        print("bytes:", head, f.read().hex())
    with open(path + ".copy", "rb") as f:
        return f.read().decode()


async def main():
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "data.txt")
        await write_then_read(path)
        print("copy:", await binary(os.path.join(tmp, "data.bin")))
