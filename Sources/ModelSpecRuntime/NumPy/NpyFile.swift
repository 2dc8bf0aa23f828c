import Foundation

/// The contents of a `.npy` file, by dtype.
public enum NpyArray: Sendable, Equatable {
    /// `<f4`.
    case float32(Tensor)
    /// `<i4`.
    case int32(IndexTensor)
    /// `<i8`.
    case int64(Int64Tensor)
    /// `|b1` (NumPy's bool, one byte 0 or 1).
    case bool(BoolTensor)

    /// The shape of the array.
    public var shape: [Int] {
        switch self {
        case .float32(let t): t.shape
        case .int32(let t): t.shape
        case .int64(let t): t.shape
        case .bool(let t): t.shape
        }
    }

    /// NumPy's name of the dtype (`float32`, `int32`, `int64`, `bool`).
    public var dtypeName: String {
        switch self {
        case .float32: "float32"
        case .int32: "int32"
        case .int64: "int64"
        case .bool: "bool"
        }
    }
}

/// The integer dtypes an `IndexTensor` can be written as.
public enum NpyIntegerType: Sendable {
    case int32, int64
}

/// Reading and writing NumPy `.npy` files: little-endian float32, int32,
/// int64 and bool arrays in C order. Reading accepts format versions 1.0, 2.0 and 3.0;
/// writing produces version 1.0 (what `np.save` writes for small headers).
/// Anything else (big-endian, Fortran order, other dtypes) is a clear `NpyError`.
public enum NumPy {
    /// Reads any supported `.npy` file.
    /// A path that is not a regular file (a directory, a FIFO) is refused
    /// without being waited on.
    public static func read(contentsOf url: URL) throws -> NpyArray {
        let data = try NpyFileAccess.contents(of: url.path)
        do { return try decode(data) } catch let e as NpyError { throw e.at(url.path) }
    }

    /// Reads a float32 `.npy` file as a `Tensor`.
    /// - Throws: `NpyError` when the file holds another dtype.
    public static func readTensor(contentsOf url: URL) throws -> Tensor {
        switch try read(contentsOf: url) {
        case .float32(let t): return t
        case let other:
            throw NpyError(path: url.path, reason: "holds \(other.dtypeName), expected float32 ('<f4')")
        }
    }

    /// Reads an int32 or int64 `.npy` file as an `IndexTensor` (int64 values must fit in int32).
    /// - Throws: `NpyError` when the file holds floats or bools, or an int64 value outside int32.
    public static func readIndexTensor(contentsOf url: URL) throws -> IndexTensor {
        switch try read(contentsOf: url) {
        case .int32(let t): return t
        case .int64(let t):
            if let bad = t.scalars.firstIndex(where: { Int32(exactly: $0) == nil }) {
                throw NpyError(path: url.path, reason: "int64 value \(t.scalars[bad]) at flat index \(bad) does not fit in int32")
            }
            return IndexTensor(t)
        case let other:
            throw NpyError(path: url.path, reason: "holds \(other.dtypeName), expected int32 ('<i4') or int64 ('<i8')")
        }
    }

    /// Decodes the bytes of a `.npy` file.
    public static func decode(_ data: Data) throws -> NpyArray {
        try data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> NpyArray in
            let (header, offset) = try NpyHeader.parse(bytes)
            guard !header.fortranOrder else {
                throw NpyError(reason: "Fortran-order arrays are not supported; save with np.ascontiguousarray")
            }
            let itemSize: Int
            switch header.descr {
            case "<f4", "<i4": itemSize = 4
            case "<i8": itemSize = 8
            case "|b1": itemSize = 1
            default:
                throw NpyError(reason: "unsupported dtype '\(header.descr)' (supported: '<f4' float32, '<i4' int32, '<i8' int64, '|b1' bool, little-endian)")
            }
            // The shape is untrusted. As NumPy does, the product of its nonzero
            // dimensions (which bounds every stride) and its byte count must
            // fit, even when a zero dimension leaves no elements.
            var nonzeroProduct = 1
            for d in header.shape where d != 0 {
                let (product, overflow) = nonzeroProduct.multipliedReportingOverflow(by: d)
                guard !overflow else {
                    throw NpyError(reason: "shape \(describe(header.shape)) is too large: its element count overflows")
                }
                nonzeroProduct = product
            }
            guard !nonzeroProduct.multipliedReportingOverflow(by: itemSize).overflow else {
                throw NpyError(reason: "shape \(describe(header.shape)) of '\(header.descr)' is too large: its byte count overflows")
            }
            let count = header.shape.contains(0) ? 0 : nonzeroProduct
            let byteCount = count * itemSize
            let payload = bytes.count - offset
            guard payload == byteCount else {
                throw NpyError(reason: "data is \(payload) bytes, shape \(describe(header.shape)) of '\(header.descr)' needs \(byteCount)")
            }
            let src = UnsafeRawBufferPointer(rebasing: bytes[offset...])
            switch header.descr {
            case "<f4":
                return .float32(try Tensor(shape: header.shape) { dst in
                    _ = src.copyBytes(to: UnsafeMutableRawBufferPointer(dst))
                    for i in dst.indices { dst[i] = Float(bitPattern: UInt32(littleEndian: dst[i].bitPattern)) }
                })
            case "<i4":
                return .int32(try IndexTensor(shape: header.shape) { dst in
                    _ = src.copyBytes(to: UnsafeMutableRawBufferPointer(dst))
                    for i in dst.indices { dst[i] = Int32(littleEndian: dst[i]) }
                })
            case "<i8":
                return .int64(try Int64Tensor(shape: header.shape) { dst in
                    for i in 0..<count { dst[i] = Int64(littleEndian: src.loadUnaligned(fromByteOffset: i * 8, as: Int64.self)) }
                })
            default:
                return .bool(try BoolTensor(shape: header.shape) { dst in
                    for i in 0..<count {
                        let byte = src[i]
                        guard byte <= 1 else { throw NpyError(reason: "bool byte \(byte) at flat index \(i) is neither 0 nor 1") }
                        dst[i] = byte == 1
                    }
                })
            }
        }
    }

    /// The bytes of a float32 `.npy` file (version 1.0, C order).
    public static func encode(_ tensor: Tensor) -> Data {
        let header = try! NpyHeader(descr: "<f4", fortranOrder: false, shape: tensor.shape).encoded()
        var data = Data(header)
        tensor.withUnsafeBufferPointer { src in
            for x in src { withUnsafeBytes(of: x.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        }
        return data
    }

    /// The bytes of an int32 or int64 `.npy` file (version 1.0, C order).
    public static func encode(_ indices: IndexTensor, as dtype: NpyIntegerType = .int32) -> Data {
        let descr = dtype == .int32 ? "<i4" : "<i8"
        let header = try! NpyHeader(descr: descr, fortranOrder: false, shape: indices.shape).encoded()
        var data = Data(header)
        indices.withUnsafeBufferPointer { src in
            for x in src {
                switch dtype {
                case .int32: withUnsafeBytes(of: x.littleEndian) { data.append(contentsOf: $0) }
                case .int64: withUnsafeBytes(of: Int64(x).littleEndian) { data.append(contentsOf: $0) }
                }
            }
        }
        return data
    }

    /// The bytes of an int64 `.npy` file (version 1.0, C order).
    public static func encode(_ integers: Int64Tensor) -> Data {
        let header = try! NpyHeader(descr: "<i8", fortranOrder: false, shape: integers.shape).encoded()
        var data = Data(header)
        integers.withUnsafeBufferPointer { src in
            for x in src { withUnsafeBytes(of: x.littleEndian) { data.append(contentsOf: $0) } }
        }
        return data
    }

    /// The bytes of a bool `.npy` file (`|b1`, version 1.0, C order).
    public static func encode(_ booleans: BoolTensor) -> Data {
        let header = try! NpyHeader(descr: "|b1", fortranOrder: false, shape: booleans.shape).encoded()
        var data = Data(header)
        booleans.withUnsafeBufferPointer { src in data.append(contentsOf: src.map { $0 ? 1 : 0 }) }
        return data
    }

    /// The bytes of an array of any supported dtype.
    public static func encode(_ array: NpyArray) -> Data {
        switch array {
        case let .float32(t): encode(t)
        case let .int32(t): encode(t)
        case let .int64(t): encode(t)
        case let .bool(t): encode(t)
        }
    }

    /// Writes a float32 `.npy` file.
    public static func write(_ tensor: Tensor, to url: URL) throws {
        try writeData(encode(tensor), to: url)
    }

    /// Writes an int32 (default) or int64 `.npy` file.
    public static func write(_ indices: IndexTensor, to url: URL, as dtype: NpyIntegerType = .int32) throws {
        try writeData(encode(indices, as: dtype), to: url)
    }

    /// Written to a temporary file renamed over `url`; a path that exists and
    /// is not a regular file (a device, a FIFO, a directory) is refused, never replaced.
    private static func writeData(_ data: Data, to url: URL) throws {
        try NpyFileAccess.requireRegularOrAbsent(url.path)
        do { try data.write(to: url, options: .atomic) } catch {
            throw NpyError(path: url.path, reason: "cannot write: \(NpyFileAccess.cause(of: error))")
        }
    }
}
