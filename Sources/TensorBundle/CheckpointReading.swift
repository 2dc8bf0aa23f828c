/// Reading tensor values. Every read copies the tensor's bytes from its data
/// shard into memory the reader owns, then checks their CRC32C against the
/// one its entry stores: the bytes checked are the bytes used.
extension Checkpoint {
    /// Calls `body` with the tensor's bytes, read into a buffer owned for the
    /// call and CRC32C-checked there. For tensors stored whole, of a
    /// fixed-width dtype; partitioned and string tensors: use ``rawBytes(named:)``
    /// and ``strings(named:)``. The bytes are valid only inside `body`.
    public func withUnsafeTensorBytes<R>(
        named name: String, _ body: (UnsafeRawBufferPointer) throws -> R
    ) throws -> R {
        try withCheckedBytes(of: try requireWholeFixedWidth(named: name), body)
    }

    /// Reads the tensor's bytes straight into `buffer`, whose size must be the
    /// tensor's (element count × element size), and checks their CRC32C there.
    /// For tensors stored whole, of a fixed-width dtype. On error the buffer's
    /// contents are unspecified.
    public func readTensorBytes(named name: String, into buffer: UnsafeMutableRawBufferPointer) throws {
        let entry = try requireWholeFixedWidth(named: name)
        guard buffer.count == entry.location.size else {
            throw CheckpointError(
                .invalidArgument, file: indexFile, entry: name,
                "the buffer has \(buffer.count) bytes; the tensor has \(entry.location.size)")
        }
        try readChecked(entry, from: try shardHolding(entry), into: buffer)
    }

    func requireWholeFixedWidth(named name: String) throws -> CheckpointEntry {
        let entry = try requireEntry(named: name)
        guard !entry.isPartitioned else {
            throw CheckpointError(.dtypeMismatch, file: indexFile, entry: name, "the tensor is partitioned; read it with rawBytes(named:) or a typed read")
        }
        guard entry.dtype.elementSize != nil else {
            throw CheckpointError(.dtypeMismatch, file: indexFile, entry: name, "\(entry.dtype) tensors have no fixed-width bytes")
        }
        return entry
    }

    /// The tensor's element bytes, little-endian, row-major; a partitioned
    /// tensor's slices are assembled into the full tensor.
    public func rawBytes(named name: String) throws -> [UInt8] {
        let entry = try requireEntry(named: name)
        guard let elementSize = entry.dtype.elementSize else {
            throw CheckpointError(.dtypeMismatch, file: indexFile, entry: name, "\(entry.dtype) tensors have no fixed-width bytes")
        }
        if entry.isPartitioned {
            return try assemble(entry, elementSize: elementSize)
        }
        let file = try shardHolding(entry)
        return try [UInt8](unsafeUninitializedCapacity: entry.location.size) { buffer, initialized in
            try readChecked(entry, from: file, into: UnsafeMutableRawBufferPointer(buffer))
            initialized = entry.location.size
        }
    }

    /// The bytes of a stored (whole or slice) entry, read (from `file`, its
    /// shard, when already open) and checked.
    func withCheckedBytes<R>(
        of entry: CheckpointEntry, in file: CheckpointFile? = nil, _ body: (UnsafeRawBufferPointer) throws -> R
    ) throws -> R {
        try withStoredBytes(of: entry, in: file) { buffer in
            try checkCRC(of: entry, UnsafeRawBufferPointer(buffer))
            return try body(UnsafeRawBufferPointer(buffer))
        }
    }

    /// Reads a stored entry's bytes from its shard `file` into `buffer`
    /// (exactly its size) and checks their CRC32C there; the shard is checked
    /// unchanged since it was opened.
    func readChecked(
        _ entry: CheckpointEntry, from file: CheckpointFile, into buffer: UnsafeMutableRawBufferPointer
    ) throws {
        precondition(buffer.count == entry.location.size)
        try file.read(at: entry.location.offset, into: buffer, entry: entry.name)
        try checkCRC(of: entry, UnsafeRawBufferPointer(buffer))
    }

    /// The stored entry's bytes in a buffer owned for the call, not checked
    /// (string tensors check their own layout of checksums).
    func withStoredBytes<R>(
        of entry: CheckpointEntry, in file: CheckpointFile? = nil, _ body: (UnsafeMutableRawBufferPointer) throws -> R
    ) throws -> R {
        let file = try file ?? shardHolding(entry)
        let size = entry.location.size
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(size, 1), alignment: 64)
        defer { storage.deallocate() }
        let buffer = UnsafeMutableRawBufferPointer(rebasing: storage[0..<size])
        try file.read(at: entry.location.offset, into: buffer, entry: entry.name)
        return try body(buffer)
    }

    /// The entry's data shard, open, after checking that the entry's bytes lie
    /// within it: before any memory is allocated for them (an index may claim
    /// any size).
    func shardHolding(_ entry: CheckpointEntry) throws -> CheckpointFile {
        let file = try shards.file(entry.location.shard, entry: entry.name)
        try file.checkExtent(offset: entry.location.offset, count: entry.location.size, entry: entry.name)
        return file
    }

    func checkCRC(of entry: CheckpointEntry, _ bytes: UnsafeRawBufferPointer) throws {
        let crc = CRC32C.checksum(bytes)
        guard crc == CRC32C.unmask(entry.location.maskedCRC) else {
            throw CheckpointError(
                .corruptData, file: shards.path(of: entry.location.shard), entry: entry.name,
                "checksum mismatch: the tensor's bytes are damaged or were rewritten after the checkpoint was opened (CRC32C \(hex(crc)), expected \(hex(CRC32C.unmask(entry.location.maskedCRC))))")
        }
    }

    func hex(_ v: UInt32) -> String { "0x" + String(v, radix: 16) }
}

extension Checkpoint {
    /// Reads a tensor's elements as `T`, checking its dtype is one of `accepted`
    /// and converting each element with `convert` from the dtype's bytes.
    /// A tensor stored whole as `direct` (whose elements are `T`'s bytes,
    /// little-endian) is read straight into the result.
    func elements<T>(
        named name: String, wanted: String, direct: CheckpointDType?,
        _ convert: (CheckpointDType, UnsafeRawBufferPointer, Int) -> [T]?
    ) throws -> [T] {
        let entry = try requireEntry(named: name)
        guard let elementSize = entry.dtype.elementSize else {
            throw CheckpointError(.dtypeMismatch, file: indexFile, entry: name, "is \(entry.dtype), not \(wanted)")
        }
        let result: [T]?
        if entry.dtype == direct, !entry.isPartitioned, elementSize == MemoryLayout<T>.stride {
            let count = entry.elementCount
            let file = try shardHolding(entry)
            result = try [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                try readChecked(entry, from: file, into: UnsafeMutableRawBufferPointer(buffer))
                initialized = count
            }
        } else if entry.isPartitioned {
            let bytes = try assemble(entry, elementSize: elementSize)
            result = bytes.withUnsafeBytes { convert(entry.dtype, $0, entry.elementCount) }
        } else {
            result = try withCheckedBytes(of: entry) { convert(entry.dtype, $0, entry.elementCount) }
        }
        guard let result else {
            throw CheckpointError(.dtypeMismatch, file: indexFile, entry: name, "is \(entry.dtype), not \(wanted)")
        }
        return result
    }

    /// A float32 tensor's values (row-major). With `converting`, other real
    /// numeric dtypes (float64, float16, bfloat16, integers, bool) are
    /// converted to Float; without it they are an error.
    public func floats(named name: String, converting: Bool = false) throws -> [Float] {
        try elements(named: name, wanted: converting ? "a real number type" : "float32", direct: .float32) { dtype, bytes, count in
            if dtype == .float32 { return Self.copy(bytes, count, as: Float.self) }
            guard converting else { return nil }
            return NumericConversion.doubles(dtype, bytes, count)?.map { Float($0) }
                ?? NumericConversion.floatsFromHalfTypes(dtype, bytes, count)
        }
    }

    /// A float64 tensor's values; with `converting`, float32, float16,
    /// bfloat16, integer and bool tensors are converted.
    public func doubles(named name: String, converting: Bool = false) throws -> [Double] {
        try elements(named: name, wanted: converting ? "a real number type" : "float64", direct: .float64) { dtype, bytes, count in
            if dtype == .float64 { return Self.copy(bytes, count, as: Double.self) }
            guard converting else { return nil }
            return NumericConversion.doubles(dtype, bytes, count)
                ?? NumericConversion.floatsFromHalfTypes(dtype, bytes, count)?.map { Double($0) }
        }
    }

    /// An int64 tensor's values; with `converting`, narrower integer types,
    /// uint32 and bool are widened (uint64 is converted when every value fits).
    public func int64s(named name: String, converting: Bool = false) throws -> [Int64] {
        try elements(named: name, wanted: converting ? "an integer type" : "int64", direct: .int64) { dtype, bytes, count in
            if dtype == .int64 { return Self.copy(bytes, count, as: Int64.self) }
            guard converting else { return nil }
            return NumericConversion.int64s(dtype, bytes, count)
        }
    }

    /// An int32 tensor's values; with `converting`, int8, int16, uint8, uint16 and bool are widened.
    public func int32s(named name: String, converting: Bool = false) throws -> [Int32] {
        try elements(named: name, wanted: converting ? "an integer type of 32 bits or fewer" : "int32", direct: .int32) {
            dtype, bytes, count in
            if dtype == .int32 { return Self.copy(bytes, count, as: Int32.self) }
            guard converting, dtype != .uint32, dtype != .int64, dtype != .uint64 else { return nil }
            return NumericConversion.int64s(dtype, bytes, count)?.map { Int32($0) }
        }
    }

    /// A bool tensor's values (any nonzero byte is true).
    public func bools(named name: String) throws -> [Bool] {
        try elements(named: name, wanted: "bool", direct: nil) { dtype, bytes, count in
            guard dtype == .bool else { return nil }
            return bytes.prefix(count).map { $0 != 0 }
        }
    }

    static func copy<T>(_ bytes: UnsafeRawBufferPointer, _ count: Int, as: T.Type) -> [T] {
        precondition(bytes.count == count * MemoryLayout<T>.stride)
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            if count > 0, let base = bytes.baseAddress {
                UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: base, byteCount: bytes.count)
            }
            initialized = count
        }
    }
}

/// Element conversions between checkpoint dtypes (little-endian bytes).
enum NumericConversion {
    static func load<T: FixedWidthInteger>(_ bytes: UnsafeRawBufferPointer, _ count: Int, _: T.Type) -> [T] {
        (0..<count).map { T(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self)) }
    }

    /// Integers, bool, float32 and float64 as Double; nil for other dtypes.
    static func doubles(_ dtype: CheckpointDType, _ b: UnsafeRawBufferPointer, _ n: Int) -> [Double]? {
        switch dtype {
        case .float32: return (0..<n).map { Double(b.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self)) }
        case .float64: return (0..<n).map { b.loadUnaligned(fromByteOffset: $0 * 8, as: Double.self) }
        default: return int64s(dtype, b, n)?.map { Double($0) } ?? (dtype == .uint64 ? load(b, n, UInt64.self).map { Double($0) } : nil)
        }
    }

    /// float16 and bfloat16 as Float; nil for other dtypes.
    static func floatsFromHalfTypes(_ dtype: CheckpointDType, _ b: UnsafeRawBufferPointer, _ n: Int) -> [Float]? {
        switch dtype {
        case .bfloat16: return load(b, n, UInt16.self).map { Float(bitPattern: UInt32($0) << 16) }
        case .float16: return load(b, n, UInt16.self).map(halfToFloat)
        default: return nil
        }
    }

    /// Integer types (and bool) as Int64; uint64 only when every value fits; nil otherwise.
    static func int64s(_ dtype: CheckpointDType, _ b: UnsafeRawBufferPointer, _ n: Int) -> [Int64]? {
        switch dtype {
        case .int8: return load(b, n, Int8.self).map { Int64($0) }
        case .uint8: return load(b, n, UInt8.self).map { Int64($0) }
        case .bool: return load(b, n, UInt8.self).map { $0 != 0 ? 1 : 0 }
        case .int16: return load(b, n, Int16.self).map { Int64($0) }
        case .uint16: return load(b, n, UInt16.self).map { Int64($0) }
        case .int32: return load(b, n, Int32.self).map { Int64($0) }
        case .uint32: return load(b, n, UInt32.self).map { Int64($0) }
        case .int64: return load(b, n, Int64.self)
        case .uint64:
            let values = load(b, n, UInt64.self)
            guard values.allSatisfy({ $0 <= UInt64(Int64.max) }) else { return nil }
            return values.map { Int64($0) }
        default: return nil
        }
    }

    /// IEEE 754 binary16 to Float.
    static func halfToFloat(_ h: UInt16) -> Float {
        let sign = UInt32(h >> 15) << 31
        let exponent = Int((h >> 10) & 0x1F)
        let mantissa = UInt32(h & 0x3FF)
        if exponent == 0x1F {
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        }
        if exponent == 0 {
            let magnitude = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
            return sign != 0 ? -magnitude : magnitude
        }
        return Float(bitPattern: sign | UInt32(exponent + 112) << 23 | (mantissa << 13))
    }
}
