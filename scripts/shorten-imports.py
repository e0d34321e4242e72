#!/usr/bin/env python3
"""Trunk post_build hook: gives the wasm modules' JS imports short names.

wasm-bindgen names each import after the function and a 16-digit hash
(`__wbg_setItem_0a2f3c4e5d6b7a8c`). There are about 200 of them, each written twice (in the
wasm import section and as a key of the JS glue's imports object), and the hashes do not
compress: together they were 3 KB of the gzipped bundle. This renames every import field to a
short name (`a`, `b`, ..., `ba`, ...) in both files, then updates the `integrity` (SRI) hashes
that index.html holds for them, since the browser refuses a file whose hash differs.

It changes names only: the wasm's code and the JS glue's behaviour are untouched, and an import
name that does not appear exactly once as an object key in the glue is left as it is. It also
drops the two custom sections that only describe the build (`producers`, `target_features`:
0.2 KB of the gzipped first load; browsers never read them). Run by trunk with
TRUNK_STAGING_DIR set; `python3 scripts/shorten-imports.py DIR` runs it on a dist.
"""

import base64
import hashlib
import os
import re
import sys
from pathlib import Path


def read_leb(data, at):
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, at


def leb(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def short_name(n):
    """a..z, A..Z, then two letters and so on: valid JS identifiers, never a keyword."""
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    name = ""
    while True:
        name = letters[n % len(letters)] + name
        n = n // len(letters) - 1
        if n < 0:
            break
    # Two-letter keywords (`do`, `if`, `in`) would need quotes as keys; skip them.
    return name


KEYWORDS = {"do", "if", "in"}


# Custom sections that only describe how the module was built.
BUILD_METADATA = {"producers", "target_features"}


def drop_build_metadata(wasm):
    """Returns the wasm without its BUILD_METADATA custom sections."""
    assert wasm[:4] == b"\0asm", "not a wasm module"
    out = bytearray(wasm[:8])
    at = 8
    while at < len(wasm):
        size, body = read_leb(wasm, at + 1)
        end = body + size
        if wasm[at] == 0:
            length, name_at = read_leb(wasm, body)
            if wasm[name_at:name_at + length].decode(errors="replace") in BUILD_METADATA:
                at = end
                continue
        out += wasm[at:end]
        at = end
    return bytes(out)


def rename_imports(wasm, rename):
    """Returns the wasm with its import section rebuilt; `rename(module, field)` gives the new
    field name (or the old one)."""
    assert wasm[:4] == b"\0asm", "not a wasm module"
    out = bytearray(wasm[:8])
    at = 8
    while at < len(wasm):
        section_id = wasm[at]
        size, body = read_leb(wasm, at + 1)
        end = body + size
        if section_id != 2:
            out += wasm[at:end]
            at = end
            continue
        count, p = read_leb(wasm, body)
        rebuilt = bytearray(leb(count))
        for _ in range(count):
            length, p = read_leb(wasm, p)
            module = wasm[p:p + length].decode()
            p += length
            length, p = read_leb(wasm, p)
            field = wasm[p:p + length].decode()
            p += length
            kind_start = p
            kind = wasm[p]
            p += 1
            if kind == 0:  # function: type index
                _, p = read_leb(wasm, p)
            elif kind == 1:  # table: reftype + limits
                p += 1
                flags = wasm[p]
                p += 1
                _, p = read_leb(wasm, p)
                if flags & 1:
                    _, p = read_leb(wasm, p)
            elif kind == 2:  # memory: limits
                flags = wasm[p]
                p += 1
                _, p = read_leb(wasm, p)
                if flags & 1:
                    _, p = read_leb(wasm, p)
            elif kind == 3:  # global: valtype + mutability
                p += 2
            else:
                raise SystemExit(f"shorten-imports: unknown import kind {kind}")
            new_field = rename(module, field).encode()
            rebuilt += leb(len(module.encode())) + module.encode()
            rebuilt += leb(len(new_field)) + new_field + wasm[kind_start:p]
        assert p == end, "import section not fully read"
        out += bytes([2]) + leb(len(rebuilt)) + rebuilt
        at = end
    return bytes(out)


def sri(data):
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def shorten(staging, wasm_path, js_path):
    """Renames the imports of one wasm module and its JS glue, and drops the wasm's build
    metadata; returns the bytes saved."""
    original = wasm_path.read_bytes()
    wasm = drop_build_metadata(original)
    js = js_path.read_text(encoding="utf-8")

    fields = []
    rename_imports(wasm, lambda module, field: fields.append((module, field)) or field)
    taken = set(re.findall(r"[A-Za-z_$][A-Za-z0-9_$]*", js))
    mapping = {}
    counter = 0
    for _, field in fields:
        if field in mapping or not re.fullmatch(r"__wbg_\w+", field):
            continue
        # Exactly one use in the glue, as an object key: then renaming both is safe.
        if len(re.findall(r"(?<![\w$])" + re.escape(field) + r"(?![\w$])", js)) != 1:
            continue
        if not re.search(r"(?<![\w$])" + re.escape(field) + r":", js):
            continue
        while True:
            name = short_name(counter)
            counter += 1
            if name not in taken and name not in KEYWORDS:
                break
        mapping[field] = name
    new_wasm = rename_imports(wasm, lambda module, field: mapping.get(field, field))
    new_js = re.sub(
        r"(?<![\w$])(__wbg_\w+)(?=:)",
        lambda m: mapping.get(m.group(1), m.group(1)),
        js,
    )
    wasm_path.write_bytes(new_wasm)
    js_path.write_text(new_js, encoding="utf-8")

    # The SRI hashes that index.html holds for the two files must be those of what is served
    # (a worker's files are fetched by the app, not by index.html, and have none).
    html_path = staging / "index.html"
    html = html_path.read_text(encoding="utf-8")
    for path, data in ((wasm_path, new_wasm), (js_path, new_js.encode("utf-8"))):
        def fix(tag, name=path.name, data=data):
            text = tag.group(0)
            if name not in text:
                return text
            return re.sub(r"sha384-[A-Za-z0-9+/=]+", sri(data), text)
        html = re.sub(r"<link[^>]*>", fix, html)
    html_path.write_text(html, encoding="utf-8")
    saved = len(original) - len(new_wasm) + len(js.encode()) - len(new_js.encode())
    print(f"shorten-imports: {wasm_path.name}: {len(mapping)} of {len(fields)} imports renamed, "
          f"{saved} bytes saved")
    return saved


def main():
    staging = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ["TRUNK_STAGING_DIR"])
    wasm_files = sorted(staging.glob("*_bg.wasm"))
    if not wasm_files:
        raise SystemExit(f"shorten-imports: no *_bg.wasm in {staging}")
    # Each module (the app, and the formats worker) comes with its glue: `X[-hash]_bg.wasm` and
    # `X[-hash].js`, hashed separately (a worker's files are not hashed at all).
    # Trunk writes its 64-bit hash in hex without leading zeros: one build in 16 has a
    # 15-digit hash (one in 256 a 14-digit one), and a fixed width of 16 then failed the build.
    def module_of(stem):
        return re.sub(r"-[0-9a-f]{8,16}$", "", stem)
    for wasm_path in wasm_files:
        module = module_of(wasm_path.name[: -len("_bg.wasm")])
        glue = [p for p in staging.glob("*.js") if module_of(p.name[: -len(".js")]) == module]
        if len(glue) != 1:
            raise SystemExit(f"shorten-imports: expected one glue file for {wasm_path.name}, found {glue}")
        shorten(staging, wasm_path, glue[0])


if __name__ == "__main__":
    main()
