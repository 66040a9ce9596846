"""The FIT file's byte layout (FIT protocol: file header, record headers, definition messages, CRC):
its messages walked by their headers and definitions alone, a few milliseconds for a large file,
to find where a truncated file's complete messages end (`complete_part`), to copy a file without
its records (`without_records`), and to write a header CRC left 0 (`header_crc_written`), so that
fitfast reads these files whole and fast (ingest/files/fit.py)."""

from __future__ import annotations

import numpy as np

from ingest.errors import FileFormatError


def complete_part(data: bytes, ran_out: bool = False) -> tuple[bytes, int] | None:
    """(a FIT file of `data`'s complete messages, the byte where they end) when `data` is truncated:
    it ends before its header's data size (the header's size may be 0, never written), or `ran_out`
    (fitfast found the bytes ending inside a message: python-fitparse's nick.fit, whose header was made
    to fit the cut) and a message does run past the data's end (a watch that died mid-activity, a cut
    copy). None when it is not truncated but damaged otherwise (a message of an undefined local type,
    a bad checksum; a message running past the end of a file of the size it declares, when fitfast
    saw something else wrong first: a size damaged mid-file): the SDK decides, as before.

    The messages are walked by their headers and definitions alone (FIT protocol: record headers,
    definition messages), a few milliseconds for a large file; the complete ones get a header
    giving their size, with its CRC, and the file's CRC, so that the fast decoder reads them whole
    (fitfast checks the file CRC over the data alone: with a right header CRC, the same value).
    Chained FIT files keep their complete parts before the cut one."""
    start = 0
    while True:
        size = data[start] if start < len(data) else 0
        if size < 12 or data[start + 8 : start + 12] != b".FIT":
            return None
        declared = int.from_bytes(data[start + 4 : start + 8], "little")
        end = start + size + declared
        short = declared == 0 or end + 2 > len(data)  # the header's size never written, or bytes missing
        end = min(end, len(data)) if declared else len(data)
        stop, whole = _message_end(data, start + size, end)
        if stop is None or not (whole or short or ran_out):
            return None
        if whole and end + 2 <= len(data) and declared:
            if end + 2 == len(data):
                return None  # every message there, and the CRC: damaged otherwise, not truncated
            start = end + 2  # a chained file follows
            continue
        if stop == start + size:
            raise FileFormatError(f"truncated at byte {stop:,}: no complete message before the cut")
        body = data[start + size : stop]
        header = bytes([14]) + data[start + 1 : start + 4] + len(body).to_bytes(4, "little") + b".FIT"
        part = data[:start] + header + crc16(header).to_bytes(2, "little") + body
        return part + crc16(part[start:]).to_bytes(2, "little"), stop


def _message_end(data: bytes, pos: int, end: int) -> tuple[int | None, bool]:
    """(where the last complete message before `end` ends, whether all up to `end` are complete);
    (None, False) at a data message of an undefined local type (damaged, not truncated)."""
    sizes: dict[int, int] = {}  # local message type -> its data messages' size, from its definition
    while pos < end:
        head = data[pos]
        if head & 0x80:  # compressed timestamp header: local type in bits 5-6
            size = sizes.get((head >> 5) & 0x3)
            if size is None:
                return None, False
            after = pos + 1 + size
        elif head & 0x40:  # definition: 5 fixed bytes, 3 per field (number, size, type)
            fields_end = pos + 6 + 3 * data[pos + 5] if pos + 6 <= end else end + 1
            size, after = sum(data[pos + 7 : fields_end : 3]), fields_end
            if head & 0x20 and after < end:  # developer fields: a count, 3 bytes each
                after = after + 1 + 3 * data[after]
                size += sum(data[fields_end + 2 : after : 3])
            elif head & 0x20:
                after = end + 1
            if after <= end:
                sizes[head & 0x0F] = size
        else:
            size = sizes.get(head & 0x0F)
            if size is None:
                return None, False
            after = pos + 1 + size
        if after > end:
            return pos, False
        pos = after
    return pos, True


_CRC_TABLE = np.arange(256, dtype=np.uint32)
for _ in range(8):
    _CRC_TABLE = np.where(_CRC_TABLE & 1, (_CRC_TABLE >> 1) ^ 0xA001, _CRC_TABLE >> 1)


_CRC_BYTES = _CRC_TABLE.tolist()
CRC_BYTEWISE_BELOW = 4096


def crc16(data: bytes) -> int:
    """The FIT CRC (CRC-16/ARC: reflected 0x8005, initial 0, as the FIT protocol gives it) of `data`.

    Byte by byte it is ~60 ns a byte in Python; here the bytes are cut into rows of ~sqrt(n) computed
    side by side with numpy, then joined: with an initial 0 and no final xor the CRC is linear, so
    a row's CRC after the rows before it is its own CRC xor the previous CRC carried through the
    row's length of zero bytes (a linear map, taken from two 256-entry tables). Below a few KB
    (a header, a file's messages but its records) byte by byte is faster: numpy's steps cost ~0.5 ms."""
    if len(data) < CRC_BYTEWISE_BELOW:
        crc, table = 0, _CRC_BYTES
        for byte in data:
            crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
        return crc
    width = max(64, int(len(data) ** 0.5))
    rows = -(-len(data) // width)
    grid = np.zeros(rows * width, dtype=np.uint32)
    grid[rows * width - len(data) :] = np.frombuffer(data, dtype=np.uint8)  # leading zeros: CRC stays 0
    grid = grid.reshape(rows, width)
    state = np.zeros(rows, dtype=np.uint32)
    basis = np.array([1 << bit for bit in range(16)], dtype=np.uint32)
    for j in range(width):
        state = (state >> 8) ^ _CRC_TABLE[(state ^ grid[:, j]) & 0xFF]
        basis = (basis >> 8) ^ _CRC_TABLE[basis & 0xFF]  # each bit of a state carried through a zero byte
    low, high = np.zeros(256, dtype=np.uint32), np.zeros(256, dtype=np.uint32)
    for bit in range(8):
        low[1 << bit : 2 << bit] = low[: 1 << bit] ^ basis[bit]
        high[1 << bit : 2 << bit] = high[: 1 << bit] ^ basis[bit + 8]
    crc, low_, high_ = 0, low.tolist(), high.tolist()
    for row in state.tolist():
        crc = low_[crc & 0xFF] ^ high_[crc >> 8] ^ row
    return crc


RECORD_MESSAGE = 20  # FIT SDK profile: mesg_num record
# FIT SDK profile, mesg_num: the messages decode_fitfast reads from fitfast's dicts (MESSAGES, and the
# developer fields' descriptions and ids); `_without_records` keeps only these.
PARSED_MESSAGES = frozenset({0, 18, 19, 225, 34, 12, 206, 207})  # file_id session lap set activity sport
COMPRESSED_SPEED_DISTANCE = 8  # FIT SDK profile: record field 8


def without_records(data: bytes) -> tuple[bytes, int] | None:
    """(a FIT file of `data`'s messages that decode_fitfast reads as dicts, PARSED_MESSAGES: not its
    records, nor the thousands of others a Garmin watch writes; how many records there were),
    walking the messages by their headers and definitions (FIT protocol; as complete_part does, a few
    ms for a large file). None where the rest would not be read alike without the records, or the walk is
    not simple: a chained or truncated file, compressed timestamp headers (times carried from
    record to message), compressed_speed_distance (expanded record by record)."""
    try:
        return _walked_without_records(data)
    except IndexError:  # a definition running past the end, which fitfast read anyway: read it whole
        return None


def _walked_without_records(data: bytes) -> tuple[bytes, int] | None:
    size = data[0]
    end = size + int.from_bytes(data[4:8], "little")
    if size not in (12, 14) or end + 2 != len(data):
        return None
    sizes: dict[int, int] = {}  # local message type -> its data messages' size
    records: set[int] = set()  # local types defined as records
    dropped: set[int] = set()  # local types defined as messages not read
    pos = run = size
    kept, count = [], 0
    while pos < end:
        head = data[pos]
        local = head & 0x0F
        if not head & 0xC0:  # a data message
            if local not in sizes:
                return None
            after = pos + 1 + sizes[local]
            if local in dropped:
                kept.append(data[run:pos])
                run, count = after, count + (local in records)
            pos = after
            continue
        if head & 0x80:
            return None
        fields_end = pos + 6 + 3 * data[pos + 5]  # definition: 5 fixed bytes, 3 per field
        number = int.from_bytes(data[pos + 3 : pos + 5], "big" if data[pos + 2] else "little")
        sizes[local], after = sum(data[pos + 7 : fields_end : 3]), fields_end
        if head & 0x20:  # developer fields: a count, 3 bytes each
            after = fields_end + 1 + 3 * data[fields_end]
            sizes[local] += sum(data[fields_end + 2 : after : 3])
        if number == RECORD_MESSAGE and COMPRESSED_SPEED_DISTANCE in data[pos + 6 : fields_end : 3]:
            return None
        (records.add if number == RECORD_MESSAGE else records.discard)(local)
        (dropped.discard if number in PARSED_MESSAGES else dropped.add)(local)
        pos = after
    if pos != end:
        return None
    body = b"".join([*kept, data[run:end]])
    header = bytes([14]) + data[1:4] + len(body).to_bytes(4, "little") + b".FIT"
    header += crc16(header).to_bytes(2, "little")
    return header + body + crc16(body).to_bytes(2, "little"), count


def header_crc_written(data: bytes) -> bytes | None:
    """`data` with its header's CRC written, when its 14-byte header leaves it 0 ("not computed", as
    the FIT protocol allows: Garmin's Edge 810, its SDK's own test files) and the file's CRC is right.
    fitfast 0.1 checks the file CRC over the data alone, which equals the CRC over header and data
    only when the header's CRC is right: such intact files were refused ("checksum mismatch") and
    read by the slow SDK. None for any other file (a wrong file CRC stays a refusal)."""
    size = int.from_bytes(data[4:8], "little")
    if data[0] != 14 or data[12:14] != b"\0\0" or 14 + size + 2 != len(data):
        return None
    if crc16(data[:-2]) != int.from_bytes(data[-2:], "little"):
        return None
    body = data[14:-2]
    return data[:12] + crc16(data[:12]).to_bytes(2, "little") + body + crc16(body).to_bytes(2, "little")
